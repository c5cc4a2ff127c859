"""MA's loss on real clips: no motion, interpolation, and checkpoints.

Example (the rules and two checkpoints on 1,000 corpus clips)::

    python tools/analysis/motion_baselines.py \\
        configs/signs/masa_pretrain_signs.py \\
        --ann ../shared/data/real/signs_multisigner_dev.pkl \\
        --split pretrain --num-clips 1000 \\
        --checkpoint work_dirs/a/epoch_3.pth work_dirs/b/epoch_3.pth

``--fit-batch STEPS`` instead trains MA (only) on one fixed batch of 32
clips and prints its loss curve next to the rules on that batch.
``--learn STEPS`` trains MA (only) on random batches and scores 400
held-out clips every ``--eval-every`` steps (``--mode``: ``masked`` = MA as
configured, scored on the masked frames; ``no_mask`` = nothing hidden,
every frame supervised and scored), printing each row as it comes and the
result at the end::

    python tools/analysis/motion_baselines.py \
        configs/signs/masa_pretrain_signs.py \
        --ann ../shared/data/real/signs_multisigner_dev.pkl \
        --split pretrain --learn 1000 --mode no_mask
"""
import argparse
import json

from mmengine.config import Config, DictAction

import mmaction_masa  # noqa: F401
from mmaction_masa.analysis.motion_baselines import (LEARNING_MODES,
                                                     fit_one_batch,
                                                     learning_curve,
                                                     motion_baselines)


def main() -> None:
    """Run the tool from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='MASA pre-training config')
    parser.add_argument('--ann', required=True, help='annotation pickle')
    parser.add_argument('--split', help='split of the file (default: all)')
    parser.add_argument(
        '--checkpoint', nargs='*', default=[], help='checkpoints to score')
    parser.add_argument(
        '--num-clips', type=int, help='N clips drawn at random (--seed)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--fit-batch',
        type=int,
        metavar='STEPS',
        help='train MA on one fixed batch for STEPS steps instead')
    parser.add_argument(
        '--learn',
        type=int,
        metavar='STEPS',
        help='train MA on random batches for STEPS steps, scoring '
        'held-out clips, instead')
    parser.add_argument('--mode', choices=LEARNING_MODES, default='masked')
    parser.add_argument('--eval-every', type=int, default=250)
    parser.add_argument('--held-out', type=int, default=400)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.fit_batch is not None:
        result = fit_one_batch(
            cfg, args.ann, args.split, steps=args.fit_batch, seed=args.seed)
    elif args.learn is not None:
        result = learning_curve(
            cfg,
            args.ann,
            args.split,
            steps=args.learn,
            eval_every=args.eval_every,
            held_out=args.held_out,
            mode=args.mode,
            seed=args.seed,
            on_row=lambda row: print(json.dumps(row), flush=True))
    else:
        result = motion_baselines(cfg, args.ann, args.split, args.checkpoint,
                                  args.num_clips, args.seed)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
