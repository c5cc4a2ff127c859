"""Runner set-up shared by the train and test entry points: the label
space of ISLR datasets, CPU (gloo) distributed ranks and the Runner itself.

``import mmaction_masa`` (done by this package) applies the stack fixes and
registers every module, so configs without ``custom_imports`` work too.
"""
import argparse
import datetime
import os
import os.path as osp
from typing import Optional

import torch.distributed as torch_dist
from mmengine.config import Config, ConfigDict
from mmengine.device import get_device
from mmengine.logging import print_log
from mmengine.registry import MODEL_WRAPPERS
from mmengine.runner import Runner
from torch.nn.parallel import DistributedDataParallel

from mmaction.registry import DATASETS, RUNNERS
from ..datasets import ISLRDataset

__all__ = [
    'ACCELERATORS', 'CPU_LAUNCHERS', 'add_launcher_args', 'check_launcher',
    'set_work_dir', 'head_label_space', 'setup_cpu_distributed', 'build_runner'
]

#: Devices on which mmengine's AmpOptimWrapper and all launchers run.
ACCELERATORS = ('cuda', 'npu', 'mlu', 'musa')
#: Launchers that also run on CPU (gloo backend, see
#: :func:`setup_cpu_distributed`); torchrun sets their environment.
CPU_LAUNCHERS = ('none', 'pytorch')


def add_launcher_args(parser: argparse.ArgumentParser, script: str) -> None:
    """Add MMAction2's ``--launcher`` and ``--local-rank`` flags.

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
        script (str): The tool's torchrun wrapper, e.g. ``'dist_train.sh'``.
    """
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher; on CPU only "pytorch" (torchrun, as '
        f'tools/{script} does), with the gloo backend')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def check_launcher(parser: argparse.ArgumentParser, args: argparse.Namespace,
                   script: str) -> None:
    """Export ``LOCAL_RANK`` and stop with a clear message where mmengine
    cannot run the launcher (every launcher but ``none`` / ``pytorch``
    binds each rank to an accelerator).

    Args:
        parser (argparse.ArgumentParser): Reports the error.
        args (argparse.Namespace): The parsed arguments.
        script (str): The tool's torchrun wrapper, e.g. ``'dist_train.sh'``.
    """
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    device = get_device()
    if args.launcher not in CPU_LAUNCHERS and device not in ACCELERATORS:
        parser.error(
            f'--launcher {args.launcher} needs a {"/".join(ACCELERATORS)} '
            f'device (mmengine binds each rank to one); found {device}. '
            'On CPU use --launcher pytorch under torchrun '
            f'(tools/{script}, gloo backend) or --launcher none.')


def set_work_dir(cfg: Config, work_dir: Optional[str], config: str) -> None:
    """``--work-dir``, else the config's ``work_dir``, else
    ``work_dirs/<config name>`` (in place).

    Args:
        cfg (Config): The loaded config.
        work_dir (str, optional): The ``--work-dir`` flag.
        config (str): The config file.
    """
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config))[0])


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
    dist_cfg = cfg.setdefault('env_cfg',
                              ConfigDict()).setdefault('dist_cfg',
                                                       ConfigDict())
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
