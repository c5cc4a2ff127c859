"""Build the MS-ASL annotation pickle from official splits and pose files.

Usage::

    python tools/data/build_msasl.py METADATA_DIR POSE_DIR OUT.pkl \\
        [--subset {100,200,1000}] [--joints {133,49}] \\
        [--signer {largest,track}] [--img-shape H W] [--trim]

``METADATA_DIR`` holds ``MS_ASL_SI_ASL1000_{train,val,test}.json``. MS-ASL
names no clip files, so each clip's pose file must be called
``<split>_<index>.json`` / ``.pkl`` with its 5-digit index in the split file
(e.g. ``val_00042.json``), searched recursively in ``POSE_DIR``. Labels are
MS-ASL's (MSASL100/200 = labels < 100 / < 200, so the default subset 1000
serves all), splits ``train``/``val``/``test``. With ``--trim`` the poses
are of the whole source video and are cut to the clip's ``start``-``end``
frames. Clips without a pose file are skipped and reported.

Example::

    python tools/data/build_msasl.py data/msasl/metadata data/msasl/poses \\
        data/msasl/msasl1000_49kp.pkl --joints 49 --trim
"""
from typing import List, Optional

from mmaction_masa.datasets.converters.benchmarks import (MSASL_SUBSETS,
                                                          msasl_index)
from mmaction_masa.datasets.converters.cli import build_parser, run_build

__all__ = ['main']


def main(argv: Optional[List[str]] = None) -> None:
    """Build the MS-ASL annotation pickle and print the report.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    parser = build_parser(
        'MS-ASL split files + per-clip poses -> annotation pickle',
        'directory with MS_ASL_SI_ASL1000_{train,val,test}.json')
    parser.add_argument(
        '--subset',
        type=int,
        choices=MSASL_SUBSETS,
        default=1000,
        help='keep clips with label < subset (default 1000: every clip)')
    args = parser.parse_args(argv)
    print(run_build(msasl_index(args.metadata_dir, args.subset), args))


if __name__ == '__main__':
    main()
