"""Build the WLASL annotation pickle from official splits and pose files.

Usage::

    python tools/data/build_wlasl.py METADATA_DIR POSE_DIR OUT.pkl \\
        [--subset {100,300,1000,2000}] [--joints {133,49}] \\
        [--signer {largest,track}] [--img-shape H W] [--trim]

``METADATA_DIR`` holds ``WLASL_v0.3.json`` and ``nslt_{100,300,1000,
2000}.json``. ``POSE_DIR`` is searched recursively for one pose file per
video, ``<video_id>.json`` (MMPoseInferencer output, e.g. from
``tools/data/extract_poses.py``) or ``<video_id>.pkl``, with the 5-digit
WLASL video ids. Labels are the ``wlasl_class_list.txt`` indices and splits
``train``/``val``/``test`` of ``nslt_<subset>.json``; the default subset
2000 holds every clip, and one such file serves all subsets
(``WLASLDataset(subset=K)`` keeps labels < K). ``--trim`` cuts each pose
sequence to the clip's frame range, for poses of whole, untrimmed videos.
Videos without a pose file are skipped and reported.

Example::

    python tools/data/build_wlasl.py data/wlasl/metadata data/wlasl/poses \\
        data/wlasl/wlasl2000_49kp.pkl --joints 49
"""
from typing import List, Optional

from mmaction_masa.datasets.converters.benchmarks import (WLASL_SUBSETS,
                                                          wlasl_index)
from mmaction_masa.datasets.converters.cli import build_parser, run_build

__all__ = ['main']


def main(argv: Optional[List[str]] = None) -> None:
    """Build the WLASL annotation pickle and print the report.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    parser = build_parser(
        'WLASL split files + per-video poses -> annotation pickle',
        'directory with WLASL_v0.3.json and nslt_*.json')
    parser.add_argument(
        '--subset',
        type=int,
        choices=WLASL_SUBSETS,
        default=2000,
        help='nslt_<subset>.json to read (default 2000: every clip)')
    args = parser.parse_args(argv)
    print(run_build(wlasl_index(args.metadata_dir, args.subset), args))


if __name__ == '__main__':
    main()
