"""Test (and evaluate) a checkpoint with an MMAction2 config.

Same command line as MMAction2's ``tools/test.py``; ``--show-dir DIR``
writes a picture per test clip (its poses, the ground truth and the top-5
prediction) like MMAction2's. ``mmaction_masa`` is imported first, so its
registries and stack fixes (e.g. loading full checkpoints on torch >= 2.6)
are active even when a config forgets ``custom_imports``. The metrics are
logged and printed as one JSON line at the end.

Example::

    python tools/test.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        work_dirs/stgcnpp_wlasl100/best_acc_top1_epoch_60.pth \\
        --dump work_dirs/stgcnpp_wlasl100/predictions.pkl
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
import mmaction_masa  # noqa: E402,F401  registries + stack fixes
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.device import get_device  # noqa: E402
from mmengine.dist import is_main_process  # noqa: E402
from mmengine.model import is_model_wrapper  # noqa: E402
from mmengine.runner.checkpoint import _load_checkpoint  # noqa: E402

from mmaction_masa.apis.checkpoint_fit import (  # noqa: E402
    check_checkpoint_fits)

# tools/ is sys.path[0] when this file runs as a script.
from train import (ACCELERATORS, CPU_LAUNCHERS, build_runner,  # noqa: E402
                   head_label_space)

__all__ = ['parse_args', 'merge_args', 'check_fits', 'main']


def parse_args() -> argparse.Namespace:
    """Parse (and check) the command line.

    Returns:
        argparse.Namespace: the arguments.
    """
    parser = argparse.ArgumentParser(
        description='Test a sign recognizer (MMAction2 + mmaction_masa)')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='where logs and metrics go (default: work_dirs/<config name>, '
        'or work_dir of the config)')
    parser.add_argument(
        '--dump',
        type=str,
        help='also write the predictions to this .pkl file (mmengine '
        'DumpResults) for offline evaluation')
    parser.add_argument(
        '--show-dir',
        help='write a picture per test clip (poses, ground truth, top-5) '
        'into this folder (PredictionPictureHook)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'test_dataloader.dataset.ann_file=data/x.pkl; lists as key="[a,b]" '
        'or key=a,b, without spaces')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher; on CPU only "pytorch" (torchrun, as '
        'tools/dist_test.sh does), with the gloo backend')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    if args.dump is not None and not args.dump.endswith(('.pkl', '.pickle')):
        parser.error(f'--dump must name a .pkl file, got {args.dump}')
    if (args.launcher not in CPU_LAUNCHERS
            and get_device() not in ACCELERATORS):
        parser.error(
            f'--launcher {args.launcher} needs a {"/".join(ACCELERATORS)} '
            f'device (mmengine binds each rank to one); found '
            f'{get_device()}. On CPU use --launcher pytorch under torchrun '
            '(tools/dist_test.sh, gloo backend) or --launcher none.')
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command line to the config.

    Args:
        cfg (Config): the loaded config.
        args (argparse.Namespace): parsed arguments.

    Returns:
        Config: the updated config.
    """
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.dump is not None:
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = list(evaluators) + [
            dict(type='DumpResults', out_file_path=args.dump)
        ]
    if args.show_dir is not None:
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='PredictionPictureHook', out_dir=args.show_dir)
        ]
    cfg.load_from = args.checkpoint
    return head_label_space(cfg)


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = build_runner(cfg)
    check_fits(runner, args.checkpoint)
    metrics = runner.test()
    if is_main_process():
        print(json.dumps({k: _to_json(v) for k, v in metrics.items()}))


def check_fits(runner, checkpoint: str) -> None:
    """Refuse a checkpoint whose weights do not fit the runner's model
    (mmengine would only log the missing keys and test random weights).

    Args:
        runner (Runner): The built runner.
        checkpoint (str): The checkpoint file.

    Raises:
        CheckpointMismatchError: missing, unexpected or mismatched keys.
    """
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    check_checkpoint_fits(model, _load_checkpoint(checkpoint, 'cpu'),
                          checkpoint)


def _to_json(value):
    """A metric value as a JSON number where possible, else its text."""
    try:
        return float(value)
    except (TypeError, ValueError, RuntimeError):
        return str(value)


if __name__ == '__main__':
    main()
