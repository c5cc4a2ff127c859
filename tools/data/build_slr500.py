"""Build the SLR500 (CSL isolated) annotation pickle from its split files.

Usage::

    python tools/data/build_slr500.py METADATA_DIR POSE_DIR OUT.pkl \\
        [--joints {133,49}] [--signer {largest,track}] [--img-shape H W]

``METADATA_DIR`` holds ``split.train.csv`` and ``split.test.csv`` (rows
``<label>/P<signer>_<a>_<b>_<repeat>._color.mp4,<word>``). ``POSE_DIR`` is
searched recursively for one pose file per video named after the video's
stem, ``P<signer>_<a>_<b>_<repeat>._color.json`` (MMPoseInferencer output)
or ``.pkl``. Labels are the 500 word ids (the folder names), glosses the
Chinese words, and the split is by signer (train P01-P35, test P36-P50).
Videos without a pose file are skipped and reported. (``--trim`` is
accepted but has no effect: SLR500 clips are whole videos.)

Example::

    python tools/data/build_slr500.py data/slr500/metadata \\
        data/slr500/poses data/slr500/slr500_49kp.pkl --joints 49 \\
        --img-shape 720 1280
"""
from typing import List, Optional

from mmaction_masa.datasets.converters.benchmarks import slr500_index
from mmaction_masa.datasets.converters.cli import build_parser, run_build

__all__ = ['main']


def main(argv: Optional[List[str]] = None) -> None:
    """Build the SLR500 annotation pickle and print the report.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    parser = build_parser(
        'SLR500 split files + per-video poses -> annotation pickle',
        'directory with split.train.csv and split.test.csv')
    parser.add_argument(
        '--split-rule',
        choices=('paper', 'csv'),
        default='paper',
        help="'paper': signers 1-36 train / 37-50 test (90,000 / 35,000 "
        "clips, the paper's split); 'csv': the split files' own split "
        '(signers 1-35 / 36-50)')
    args = parser.parse_args(argv)
    print(run_build(slr500_index(args.metadata_dir, args.split_rule), args))


if __name__ == '__main__':
    main()
