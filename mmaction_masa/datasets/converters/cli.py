"""Argument handling shared by the ``tools/data/`` converter scripts."""
import argparse
from typing import Optional, Sequence

from ...sign_layout import NUM_JOINTS, NUM_WHOLEBODY_JOINTS
from .pose_files import (SIGNER_STRATEGIES, build_annotations,
                         index_pose_files, write_annotation_file)
from .records import VideoEntry

__all__ = ['add_output_args', 'build_parser', 'run_build']


def add_output_args(parser: argparse.ArgumentParser,
                    optional_out_file: bool = False) -> None:
    """Add ``out_file``, ``--joints``, ``--signer``, ``--img-shape``.

    ``trim`` defaults to False (only ``build_<benchmark>.py`` can trim).

    Args:
        parser (argparse.ArgumentParser): The parser to extend.
        optional_out_file (bool): Take ``out_file`` as an optional
            ``--ann-file`` instead of a positional argument. Defaults to
            False.
    """
    if optional_out_file:
        parser.add_argument(
            '--ann-file', dest='out_file', help='annotation pickle to write')
    else:
        parser.add_argument('out_file', help='annotation pickle to write')
    parser.add_argument(
        '--joints',
        type=int,
        choices=(NUM_WHOLEBODY_JOINTS, NUM_JOINTS),
        default=NUM_WHOLEBODY_JOINTS,
        help='133: all COCO-WholeBody joints (default); 49: MASA sign joints')
    parser.add_argument(
        '--signer',
        choices=SIGNER_STRATEGIES,
        default='largest',
        help='signer choice per frame in MMPose JSON: largest = max bbox '
        'area x mean score (default); track = nearest to the last signer')
    parser.add_argument(
        '--img-shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='frame size stored as img_shape of every clip (overrides the '
        'img_shape of .pkl pose files; PartNormalize needs one)')
    parser.set_defaults(trim=False)


def build_parser(description: str,
                 metadata_help: str) -> argparse.ArgumentParser:
    """Parser of a ``build_<benchmark>.py`` script.

    Args:
        description (str): The script's description.
        metadata_help (str): Help of the ``metadata_dir`` argument.

    Returns:
        argparse.ArgumentParser: With ``metadata_dir``, ``pose_dir``, the
        :func:`add_output_args` arguments and ``--trim``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('metadata_dir', help=metadata_help)
    parser.add_argument(
        'pose_dir',
        help='directory searched recursively for per-video pose files '
        '<video_id>.json (MMPoseInferencer output), <video_id>.pkl or '
        '<video_id>.pose (pose-format, MediaPipe Holistic; --joints 49)')
    add_output_args(parser)
    parser.add_argument(
        '--trim',
        action='store_true',
        help="cut each clip to the split file's frame range (for poses of "
        'whole, untrimmed videos)')
    return parser


def run_build(entries: Sequence[VideoEntry],
              args: argparse.Namespace,
              img_shapes: Optional[dict] = None) -> str:
    """Pair clips with pose files, write the pickle, return the report.

    Args:
        entries (Sequence[VideoEntry]): The clips.
        args (argparse.Namespace): With ``pose_dir``, ``out_file``,
            ``joints``, ``signer``, ``img_shape`` and ``trim``.
        img_shapes (dict, optional): Video id -> ``(h, w)``; it wins over
            ``args.img_shape``, which applies to the other clips.

    Returns:
        str: The report of :func:`write_annotation_file`.
    """
    if args.img_shape is not None:
        default = tuple(args.img_shape)
        img_shapes = {
            e.video_id: (img_shapes or {}).get(e.video_id, default)
            for e in entries
        }
    result = build_annotations(
        entries,
        index_pose_files(args.pose_dir),
        joints=args.joints,
        strategy=args.signer,
        trim=args.trim,
        img_shapes=img_shapes)
    return write_annotation_file(result, args.out_file)
