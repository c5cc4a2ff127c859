"""Train a recognizer (or pre-train MASA) from an MMAction2 config: the
command line of ``tools/train.py``, which is MMAction2's.

Example::

    python tools/train.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        --work-dir work_dirs/stgcnpp_wlasl100 --resume
"""
import argparse
from typing import Optional, Sequence

from mmengine.config import Config, DictAction
from mmengine.device import get_device

from .runner import (ACCELERATORS, add_launcher_args, build_runner,
                     check_launcher, head_label_space, set_work_dir)

__all__ = ['parse_args', 'check_device', 'merge_args', 'main']


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse (and check) the command line.

    Args:
        argv (Sequence[str], optional): The arguments. Defaults to None
            (``sys.argv[1:]``).

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
    add_launcher_args(parser, 'dist_train.sh')
    args = parser.parse_args(argv)
    check_device(parser, args)
    check_launcher(parser, args, 'dist_train.sh')
    return args


def check_device(parser: argparse.ArgumentParser,
                 args: argparse.Namespace) -> None:
    """Stop early with a clear message where mmengine cannot run ``--amp``
    (the launcher is checked by :func:`~.runner.check_launcher`).

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


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config.

    Args:
        cfg (Config): the loaded config.
        args (argparse.Namespace): parsed arguments.

    Returns:
        Config: the updated config.
    """
    cfg.launcher = args.launcher
    set_work_dir(cfg, args.work_dir, args.config)
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


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Train from the command line.

    Args:
        argv (Sequence[str], optional): The arguments. Defaults to None
            (``sys.argv[1:]``).
    """
    args = parse_args(argv)
    cfg = merge_args(Config.fromfile(args.config), args)
    build_runner(cfg).train()
