"""Convert the MediaPipe tutorial layout ``MP_Data/`` into an annotation file.

Usage::

    python tools/data/mp_data_to_ann.py MP_DATA_DIR OUT.pkl --img-shape H W \\
        [--class-list CLASSES.txt] [--test-fraction F]

``MP_DATA_DIR/<gloss>/<seq>/<frame>.npy`` holds one flat MediaPipe Holistic
vector per frame, of length 1662 (pose 33x4, face 468x3, left and right hand
21x3), 258 (pose and hands) or 126 (hands only), with zeros where MediaPipe
found nothing. Each sequence becomes one clip (``frame_dir`` =
``<gloss>/<seq>``) with MASA's 49 joints: MediaPipe pose 0, 11-16 as
COCO-WholeBody 0, 5-10 (visibility as score) and both 21-joint hands (score
1 where the hand was found). The coordinates are normalised by the frame
size, so ``--img-shape`` (the recorded frames' height and width) is
required. Labels follow ``--class-list`` (one gloss a line) or the sorted
gloss folder names; ``--test-fraction`` puts the last sequences of every
gloss into split ``test`` (the rest into ``train``), otherwise all clips are
in split ``all``.

Example::

    python tools/data/mp_data_to_ann.py MP_Data data/mp_signs.pkl \\
        --img-shape 480 640 --test-fraction 0.2
"""
import argparse
from typing import List, Optional

from mmaction_masa.datasets import read_class_list
from mmaction_masa.datasets.converters import (build_mp_data_annotations,
                                               write_annotation_file)

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='MediaPipe tutorial MP_Data/<gloss>/<seq>/<frame>.npy '
        '-> PoseDataset annotation pickle (49 joints)')
    parser.add_argument('mp_data_dir', help='the MP_Data folder')
    parser.add_argument('out_file', help='annotation pickle to write')
    parser.add_argument(
        '--img-shape',
        type=int,
        nargs=2,
        required=True,
        metavar=('H', 'W'),
        help='height and width of the recorded frames (MediaPipe '
        'coordinates are normalised by them)')
    parser.add_argument(
        '--class-list',
        help='text file with one gloss a line (the label order); default: '
        'the gloss folders sorted by name')
    parser.add_argument(
        '--test-fraction',
        type=float,
        default=0.0,
        help='fraction of each gloss\'s sequences (the last ones) in split '
        '"test", the rest in "train"; 0 (default): one split "all"')
    args = parser.parse_args(argv)
    if not 0 <= args.test_fraction < 1:
        parser.error(f'--test-fraction must be in [0, 1), got '
                     f'{args.test_fraction}')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    """Build the annotation pickle and print the report.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Raises:
        SystemExit: a missing folder or a malformed frame file (the message
            names the file and the field).
    """
    args = parse_args(argv)
    try:
        names = None if args.class_list is None else read_class_list(
            args.class_list)
        result = build_mp_data_annotations(args.mp_data_dir,
                                           tuple(args.img_shape), names,
                                           args.test_fraction)
    except (FileNotFoundError, ValueError) as exc:
        raise SystemExit(f'mp_data_to_ann.py: {exc}') from exc
    print(write_annotation_file(result, args.out_file))


if __name__ == '__main__':
    main()
