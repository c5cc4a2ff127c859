"""Train a recognizer (or pre-train MASA) from an MMAction2 config.

Same command line as MMAction2's ``tools/train.py``. ``mmaction_masa`` is
imported first, so its registries and stack fixes are active even when a
config forgets ``custom_imports``; the repository root is put on
``sys.path``, so the script works from a clone without ``pip install -e``.

Example::

    python tools/train.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        --work-dir work_dirs/stgcnpp_wlasl100 --resume
"""
import argparse
import datetime
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
import mmaction_masa  # noqa: E402,F401  registries + stack fixes
import torch.distributed as torch_dist  # noqa: E402
from mmengine.config import Config, ConfigDict, DictAction  # noqa: E402
from mmengine.device import get_device  # noqa: E402
from mmengine.logging import print_log  # noqa: E402
from mmengine.registry import MODEL_WRAPPERS  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402

from mmaction.registry import RUNNERS  # noqa: E402

__all__ = [
    'ACCELERATORS', 'CPU_LAUNCHERS', 'parse_args', 'check_device',
    'merge_args', 'head_label_space', 'setup_cpu_distributed', 'build_runner',
    'main'
]

#: Devices on which mmengine's AmpOptimWrapper and all launchers run.
ACCELERATORS = ('cuda', 'npu', 'mlu', 'musa')
#: Launchers that also run on CPU (gloo backend, see
#: :func:`setup_cpu_distributed`); torchrun sets their environment.
CPU_LAUNCHERS = ('none', 'pytorch')


def parse_args() -> argparse.Namespace:
    """Parse (and check) the command line.

    Returns:
        argparse.Namespace: the arguments.
    """
    parser = argparse.ArgumentParser(
        description='Train a sign recognizer (MMAction2 + mmaction_masa)')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--work-dir',
        help='where logs and checkpoints go (default: '
        'work_dirs/<config name>, or work_dir of the config)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; without a path, resume from the '
        'latest checkpoint in the work directory, if any')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision (AmpOptimWrapper, dynamic loss '
        'scale); needs a CUDA/NPU/MLU/MUSA device')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate on the validation set during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual total batch size over '
        'auto_scale_lr.base_batch_size of the config')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='a different seed on each rank')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic CUDNN algorithms')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'train_cfg.max_epochs=5 "optim_wrapper.optimizer.lr=0.1"; lists as '
        'key="[a,b]" or key=a,b, without spaces')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher; on CPU only "pytorch" (torchrun, as '
        'tools/dist_train.sh does), with the gloo backend')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    check_device(parser, args)
    return args


def check_device(parser: argparse.ArgumentParser,
                 args: argparse.Namespace) -> None:
    """Stop early with a clear message where mmengine cannot run a flag.

    Args:
        parser (argparse.ArgumentParser): reports the error.
        args (argparse.Namespace): parsed arguments.
    """
    device = get_device()
    if device in ACCELERATORS:
        return
    if args.amp:
        parser.error(
            f'--amp needs a {"/".join(ACCELERATORS)} device: mmengine\'s '
            f'AmpOptimWrapper (GradScaler) does not run on {device}. '
            'Train without --amp here.')
    if args.launcher not in CPU_LAUNCHERS:
        parser.error(
            f'--launcher {args.launcher} needs a {"/".join(ACCELERATORS)} '
            f'device (mmengine binds each rank to one); found {device}. '
            'On CPU use --launcher pytorch under torchrun '
            '(tools/dist_train.sh, gloo backend) or --launcher none.')


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config.

    Args:
        cfg (Config): the loaded config.
        args (argparse.Namespace): parsed arguments.

    Returns:
        Config: the updated config.
    """
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(
                f'--amp replaces OptimWrapper; the config uses {wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = None if args.resume == 'auto' else args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if cfg.get('randomness') is None:
        cfg.randomness = dict(
            seed=args.seed,
            diff_rank_seed=args.diff_rank_seed,
            deterministic=args.deterministic)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return head_label_space(cfg)


def head_label_space(cfg: Config) -> Config:
    """Give ISLR datasets without a label space the classifier's.

    A dataset with ``num_classes=None`` (and no ``subset``) takes
    ``max(label) + 1`` from its file, so a label beyond the head's classes
    would only fail at the first iteration (an ``IndexError`` naming
    nothing). With the head's ``num_classes`` the dataset rejects it when
    it is built (``AnnotationError`` naming file, sample and field).

    Args:
        cfg (Config): the merged config (updated in place).

    Returns:
        Config: ``cfg``.
    """
    from mmaction.registry import DATASETS
    from mmaction_masa.datasets import ISLRDataset
    num_classes = (cfg.get('model') or {}).get('cls_head', {}) or {}
    num_classes = num_classes.get('num_classes')
    if num_classes is None:
        return cfg
    for split in ('train', 'val', 'test'):
        dataset = (cfg.get(f'{split}_dataloader') or {}).get('dataset')
        if not dataset or dataset.get('num_classes') is not None or (
                dataset.get('subset') is not None):
            continue
        dataset_type = DATASETS.get(dataset.get('type'))
        if (isinstance(dataset_type, type)
                and issubclass(dataset_type, ISLRDataset)
                and dataset_type.NUM_CLASSES is None):
            dataset.num_classes = num_classes
    return cfg


def setup_cpu_distributed(cfg: Config) -> None:
    """Prepare MMEngine's DDP for CPU-only ranks (gloo backend).

    mmengine binds every rank to an accelerator: ``init_dist`` calls
    ``torch.cuda.set_device`` and the default DDP wrapper passes
    ``device_ids=[LOCAL_RANK]``; both fail on CPU. Here the gloo process
    group is initialised from torchrun's environment (``RANK``,
    ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``), so the Runner skips
    ``init_dist``, and the DDP wrapper gets ``device_ids=None`` (the CPU
    form). ``env_cfg.dist_cfg.backend`` is set to ``'gloo'`` (NCCL needs
    GPUs); its ``timeout`` (seconds) is kept.

    Args:
        cfg (Config): the merged config (``launcher == 'pytorch'``);
            ``env_cfg`` and ``model_wrapper_cfg`` are updated in place.
    """
    dist_cfg = cfg.setdefault('env_cfg', ConfigDict()).setdefault(
        'dist_cfg', ConfigDict())
    if dist_cfg.get('backend', 'gloo') != 'gloo':
        print_log(
            f'CPU ranks: dist_cfg.backend {dist_cfg.backend!r} -> gloo',
            logger='current')
    dist_cfg.backend = 'gloo'
    if not torch_dist.is_initialized():
        timeout = dist_cfg.get('timeout')
        kwargs = {} if timeout is None else dict(
            timeout=datetime.timedelta(seconds=timeout))
        torch_dist.init_process_group(backend='gloo', **kwargs)
    wrapper = cfg.get('model_wrapper_cfg') or ConfigDict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper_type = wrapper.get('type', 'MMDistributedDataParallel')
    if issubclass(MODEL_WRAPPERS.get(wrapper_type), DistributedDataParallel):
        wrapper.setdefault('device_ids', None)
    cfg.model_wrapper_cfg = wrapper


def build_runner(cfg: Config) -> Runner:
    """The Runner of a merged config (CPU ranks prepared first).

    Args:
        cfg (Config): the merged config.

    Returns:
        Runner: built from ``runner_type`` when the config names one.
    """
    if cfg.launcher != 'none' and get_device() not in ACCELERATORS:
        setup_cpu_distributed(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    build_runner(cfg).train()


if __name__ == '__main__':
    main()
