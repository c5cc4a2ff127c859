"""Test (and evaluate) a checkpoint with an MMAction2 config: the command
line of ``tools/test.py`` (MMAction2's, without the visualisation flags).
The metrics are logged and printed as one JSON line at the end.

Example::

    python tools/test.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        work_dirs/stgcnpp_wlasl100/best_acc_top1_epoch_60.pth \\
        --dump work_dirs/stgcnpp_wlasl100/predictions.pkl
"""
import argparse
import json
from typing import Optional, Sequence, Union

from mmengine.config import Config, DictAction
from mmengine.dist import is_main_process
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint

from .checkpoint_fit import check_checkpoint_fits
from .runner import (add_launcher_args, build_runner, check_launcher,
                     head_label_space, set_work_dir)

__all__ = ['parse_args', 'merge_args', 'check_fits', 'main']


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse (and check) the command line.

    Args:
        argv (Sequence[str], optional): The arguments. Defaults to None
            (``sys.argv[1:]``).

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
    add_launcher_args(parser, 'dist_test.sh')
    args = parser.parse_args(argv)
    check_launcher(parser, args, 'dist_test.sh')
    if args.dump is not None and not args.dump.endswith(('.pkl', '.pickle')):
        parser.error(f'--dump must name a .pkl file, got {args.dump}')
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
    set_work_dir(cfg, args.work_dir, args.config)
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


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Test a checkpoint from the command line; print the metrics as one
    JSON line.

    Args:
        argv (Sequence[str], optional): The arguments. Defaults to None
            (``sys.argv[1:]``).
    """
    args = parse_args(argv)
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = build_runner(cfg)
    check_fits(runner, args.checkpoint)
    metrics = runner.test()
    if is_main_process():
        print(json.dumps({k: _to_json(v) for k, v in metrics.items()}))


def check_fits(runner: Runner, checkpoint: str) -> None:
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


def _to_json(value: object) -> Union[float, str]:
    """A metric value as a JSON number where possible, else its text."""
    try:
        return float(value)
    except (TypeError, ValueError, RuntimeError):
        return str(value)
