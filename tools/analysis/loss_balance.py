"""Gradient of lambda_s L_s vs L_m on the encoder at initialisation.

Prints the losses, both gradient norms and their ratio for a MASA
pre-training config on real clips (the queue filled with their keys first).

Example::

    python tools/analysis/loss_balance.py configs/masa_pretrain_wlasl.py \\
        --ann ../shared/data/real/wlasl50_dev.pkl --split train
    # the literal Eq. 4 in [-128, 128] units, for comparison
    python tools/analysis/loss_balance.py configs/masa_pretrain_wlasl.py \\
        --ann ../shared/data/real/wlasl50_dev.pkl --split train \\
        --cfg-options model.mask_head.loss.coord_scale=1
"""
import argparse
import json

import torch
from mmengine.config import Config, DictAction

import mmaction_masa  # noqa: F401
from mmaction_masa.analysis.loss_balance import measure_loss_balance


def parse_args() -> argparse.Namespace:
    """Parse the command line.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='MASA pre-training config')
    parser.add_argument('--ann', required=True, help='annotation pickle')
    parser.add_argument('--split', help='split of the file (default: all)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--batches', type=int, default=4, help='measured batches')
    parser.add_argument(
        '--queue-batches',
        type=int,
        default=8,
        help='batches whose keys fill the queue')
    parser.add_argument(
        '--align-weight',
        type=float,
        default=0.05,
        help='lambda_s (default: the paper final 0.05)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, help='torch CPU threads')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main() -> None:
    """Run the tool from the command line."""
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    result = measure_loss_balance(cfg, args.ann, args.split, args.batch_size,
                                  args.batches, args.queue_batches,
                                  args.align_weight, args.seed)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
