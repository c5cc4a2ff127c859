"""k-NN probe of pre-training checkpoints on a fine-tuning config's task.

For each checkpoint (and, with ``--random-init``, a fresh initialisation),
the backbone of the fine-tuning CONFIG embeds the training and test clips
with the test pipeline; each test clip takes the weighted vote of its k
nearest training clips (cosine). Prints one JSON line per checkpoint: P-I
and P-C top-1 / top-5, the effective rank of the test features and the clip
counts (``mmaction_masa.analysis.knn_probe``).

Example (the 35-gloss signer-independent task; a sine-cosine checkpoint
needs the sine-cosine backbone)::

    python tools/analysis/knn_probe.py \\
        configs/signs/masa_finetune_signs35.py \\
        /data/runs/signs_pretrain/epoch_3.pth --random-init
    python tools/analysis/knn_probe.py \\
        configs/signs/masa_finetune_signs35_sincos.py \\
        /data/runs/s8_p6_dense_flat/epoch_2.pth \\
        /data/runs/s8_p6_dense_flat/epoch_6.pth
"""
import argparse
import json
import sys
from typing import List, Optional

import torch
from mmengine.config import Config, DictAction

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.analysis.knn_probe import knn_probe
from mmaction_masa.apis.checkpoint_fit import CheckpointMismatchError

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` when None.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='fine-tuning config (the task)')
    parser.add_argument(
        'checkpoints', nargs='*', help='pre-training checkpoints')
    parser.add_argument(
        '--random-init',
        action='store_true',
        help='also probe a randomly initialised backbone')
    parser.add_argument('--k', type=int, default=20, help='neighbours')
    parser.add_argument('--temperature', type=float, default=0.07)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of --random-init')
    parser.add_argument('--threads', type=int, help='torch CPU threads')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_intermixed_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the tool.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` when None.

    Returns:
        int: The exit status (2: nothing to probe, a missing checkpoint, one
        without backbone weights or one that does not fit the config's
        backbone).
    """
    args = parse_args(argv)
    if not args.checkpoints and not args.random_init:
        print('error: give checkpoints and/or --random-init', file=sys.stderr)
        return 2
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    runs = ([None] if args.random_init else []) + list(args.checkpoints)
    for checkpoint in runs:
        try:
            result = knn_probe(cfg, checkpoint, args.k, args.temperature,
                               args.batch_size, args.seed)
        except (FileNotFoundError, KeyError, CheckpointMismatchError) as exc:
            print(f'error: {exc}', file=sys.stderr)
            return 2
        print(
            json.dumps(dict(checkpoint=checkpoint or 'random init', **result)),
            flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
