"""Convert per-video MMPose predictions into an annotation pickle.

Usage::

    python tools/data/mmpose_json_to_ann.py POSE_DIR LABELS.csv OUT.pkl \\
        [--joints {133,49}] [--signer {largest,track}] [--img-shape H W]

``POSE_DIR`` is searched recursively for ``<video>.json`` files written by
``MMPoseInferencer(pose2d='wholebody')`` with ``pred_out_dir`` (or
``<video>.pkl`` files with ``keypoint`` / ``keypoint_score``, or
``<video>.pose`` files of the ``pose-format`` library with MediaPipe
Holistic components, read as the 49 sign joints: use ``--joints 49``).
``LABELS.csv`` names the clips, with the header
``video,label[,split][,gloss]``: ``video`` is the pose file's stem, ``label``
the class index, ``split`` the split name
(``all`` when absent) and ``gloss`` the class name. One person per frame is
kept (``--signer``); ``--joints 49`` keeps only MASA's sign joints. The
output is an MMAction2 PoseDataset pickle that
:class:`mmaction_masa.datasets.ISLRDataset` reads; clips without a pose file
are skipped and reported.

Example::

    python tools/data/mmpose_json_to_ann.py data/poses data/labels.csv \\
        data/my_signs.pkl --joints 49 --img-shape 720 1280
"""
import argparse
from typing import List, Optional

from mmaction_masa.datasets.converters import read_label_csv
from mmaction_masa.datasets.converters.cli import add_output_args, run_build

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='MMPose per-video predictions + label CSV -> '
        'PoseDataset annotation pickle')
    parser.add_argument(
        'pose_dir',
        help='directory searched recursively for <video>.json / '
        '<video>.pkl / <video>.pose pose files')
    parser.add_argument(
        'label_csv', help='CSV with header video,label[,split][,gloss]')
    add_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Build the annotation pickle and print the report.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    args = parse_args(argv)
    print(run_build(read_label_csv(args.label_csv), args))


if __name__ == '__main__':
    main()
