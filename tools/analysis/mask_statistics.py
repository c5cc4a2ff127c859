"""Candidate and masked frames of MASA's motion-aware mask on real clips.

Example::

    python tools/analysis/mask_statistics.py configs/masa_pretrain_wlasl.py \\
        --ann ../shared/data/real/wlasl50_dev.pkl --split train
"""
import argparse
import json

from mmengine.config import Config, DictAction

import mmaction_masa  # noqa: F401
from mmaction_masa.analysis.mask_statistics import mask_statistics


def main() -> None:
    """Run the tool from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='MASA pre-training config')
    parser.add_argument('--ann', required=True, help='annotation pickle')
    parser.add_argument('--split', help='split of the file (default: all)')
    parser.add_argument('--num-clips', type=int, help='first N clips only')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    print(
        json.dumps(
            mask_statistics(cfg, args.ann, args.split, args.num_clips,
                            args.seed)))


if __name__ == '__main__':
    main()
