"""Draw a sign pose sequence as an animation plus a PNG frame strip.

INPUT is an annotation pickle (pick the clip with ``--index`` or
``--frame-dir``; default the first) or an MMPose whole-body prediction
``.json``. With ``--mask`` the clip also goes through PartNormalize and
MotionAwareMask: the normalised body and hands are drawn beside the image
view, frames the motion-aware mask hides get a red background and, on those
frames only, the motion residuals are drawn as arrows. Fingers have their
own colours (thumb thicker, a legend names them); the image view keeps
the true aspect ratio: pixel coordinates as they are, normalised ones
scaled by ``img_shape``, by ``--aspect W:H``, or else by an estimate from
the hands' bone lengths (named in the panel title).

Example::

    python tools/visualize_pose.py data/poses.pkl --frame-dir FOOTBALL \\
        --out-dir vis --mask
"""
import argparse
import sys

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis.inference import load_pose_clip
from mmaction_masa.visualization import VIDEO_FORMATS, render_clip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Render a sign pose sequence (GIF/MP4 + PNG strip)')
    parser.add_argument('input', help='annotation .pkl or MMPose .json')
    which = parser.add_mutually_exclusive_group()
    which.add_argument('--index', type=int, help='position of the clip')
    which.add_argument('--frame-dir', help='frame_dir of the clip')
    parser.add_argument('--out-dir', required=True, help='output directory')
    parser.add_argument(
        '--mask',
        action='store_true',
        help='show MotionAwareMask: masked frames and motion residuals')
    parser.add_argument(
        '--format',
        choices=VIDEO_FORMATS,
        default='gif',
        help='animation format')
    parser.add_argument(
        '--fps', type=float, default=10.0, help='animation frame rate')
    parser.add_argument(
        '--strip-frames', type=int, default=8, help='frames in the PNG strip')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of the random mask draw')
    parser.add_argument(
        '--dpi',
        type=int,
        default=80,
        help='pixels per inch (panels are 2.5 inches)')
    parser.add_argument(
        '--aspect',
        type=_aspect,
        help='frame aspect W:H (e.g. 16:9) of normalised coordinates when '
        'the file has no img_shape (default: estimated)')
    return parser.parse_args()


def _aspect(text: str) -> float:
    """``'16:9'`` or ``'1.78'`` -> w / h."""
    try:
        width, _, height = text.partition(':')
        value = float(width) / float(height or 1)
    except (ValueError, ZeroDivisionError):
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(
            f'expected W:H or a positive ratio, got {text!r}')
    return value


def main() -> int:
    args = parse_args()
    try:
        clip = load_pose_clip(args.input, args.index, args.frame_dir)
    except (FileNotFoundError, IndexError, KeyError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    video, strip = render_clip(clip, args.out_dir, args.mask, args.format,
                               args.fps, args.strip_frames, args.seed,
                               args.dpi, args.aspect)
    print(f'wrote {video} and {strip}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
