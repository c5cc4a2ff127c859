"""Extract whole-body poses from videos into an annotation pickle.

Usage::

    python tools/data/extract_poses.py VIDEO_OR_DIR [VIDEO_OR_DIR ...] \\
        --pose-dir POSE_DIR [--backend {mediapipe,mmpose}] \\
        [--ann-file OUT.pkl] [--labels LABELS.csv] [--joints {133,49}] \\
        [--signer {largest,track}] [--img-shape H W] \\
        [--model-complexity {0,1,2}] [--pose2d wholebody] \\
        [--device cuda:0] [--overwrite]

Step 1 runs a pose estimator on every video given or found recursively in
the given directories (``.mp4 .avi .mov .mkv .webm``), with a progress bar
over the videos and the frames:

* ``--backend mediapipe`` (default; runs offline on a CPU, installed by
  ``tools/setup_env.sh``): MediaPipe Holistic, mapped to MASA's 49 joints
  (pose 0, 11-16 -> COCO-WholeBody 0, 5-10 with the pose visibility as
  score; both 21-joint hands with score 1 where the hand is found, 0 where
  not), written as ``POSE_DIR/<video stem>.pkl``. Only 49 joints exist.
* ``--backend mmpose`` (the paper's estimator): ``MMPoseInferencer``
  (COCO-WholeBody, 133 keypoints, with its RTMDet person detector; weights
  are downloaded on first use), written as ``POSE_DIR/<video stem>.json``.
  It needs full mmcv (compiled ops), mmdet and mmpose; without them the
  script stops with the install command::

      pip install -U openmim && mim install mmcv==2.1.0 mmdet mmpose

Videos whose pose file already exists are skipped unless ``--overwrite``,
so an interrupted run resumes and a run whose poses all exist needs no
model.

Step 2 (with ``--ann-file``) converts the pose files into an MMAction2
PoseDataset pickle, as ``tools/data/mmpose_json_to_ann.py`` does: one person
per frame (``--signer``), 133 or MASA's 49 joints (``--joints``; default 49
for MediaPipe, 133 for MMPose), and ``img_shape`` read from each video
(``--img-shape`` overrides it). With ``--labels`` (CSV header
``video,label[,split][,gloss]``, ``video`` = the video's stem) the listed
clips are written with their labels and splits; without it every video
becomes an unlabelled clip (``label=-1``, split ``all``; load it with
``ISLRDataset(..., allow_unlabelled=True)``, e.g. for self-supervised
pre-training).

Example::

    python tools/data/extract_poses.py data/my_videos --pose-dir \\
        data/my_poses --ann-file data/my_signs.pkl --labels \\
        data/labels.csv
"""
import argparse
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from mmaction_masa.datasets import UNLABELLED
from mmaction_masa.datasets.converters import (VideoEntry, extract_poses,
                                               extract_poses_mediapipe,
                                               find_videos, read_label_csv,
                                               video_shape)
from mmaction_masa.datasets.converters.cli import add_output_args, run_build
from mmaction_masa.sign_layout import NUM_JOINTS, NUM_WHOLEBODY_JOINTS

__all__ = ['BACKENDS', 'parse_args', 'clip_entries', 'run_backend', 'main']

#: Pose estimators of step 1 (the first is the default).
BACKENDS = ('mediapipe', 'mmpose')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments (``pose_dir`` is where the JSON
        files go and are read from).
    """
    parser = argparse.ArgumentParser(
        description='videos -> poses per video (MediaPipe Holistic or '
        'MMPose whole-body) -> PoseDataset annotation pickle')
    parser.add_argument(
        'videos', nargs='+', help='video files and/or directories of videos')
    parser.add_argument(
        '--pose-dir',
        required=True,
        help='directory of the per-video pose files (<video stem>.pkl '
        'for mediapipe, .json for mmpose)')
    parser.add_argument(
        '--backend',
        choices=BACKENDS,
        default=BACKENDS[0],
        help='pose estimator: mediapipe (default, runs offline on CPU) or '
        'mmpose (whole-body RTMPose, needs full mmcv + mmdet)')
    add_output_args(parser, optional_out_file=True)
    parser.set_defaults(joints=None)
    parser.add_argument(
        '--labels',
        help='CSV with header video,label[,split][,gloss]; without it the '
        'clips are unlabelled (label -1, split "all")')
    parser.add_argument(
        '--pose2d',
        default='wholebody',
        help="mmpose backend: model alias or config (default 'wholebody')")
    parser.add_argument(
        '--device',
        help='mmpose backend: e.g. cuda:0 or cpu (default: MMPose picks)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='re-extract videos whose pose file exists')
    parser.add_argument(
        '--model-complexity',
        type=int,
        choices=(0, 1, 2),
        default=1,
        help='MediaPipe pose model: 0 lite, 1 full (default), 2 heavy')
    args = parser.parse_args(argv)
    if args.joints is None:
        args.joints = (
            NUM_JOINTS
            if args.backend == 'mediapipe' else NUM_WHOLEBODY_JOINTS)
    elif args.backend == 'mediapipe' and args.joints != NUM_JOINTS:
        parser.error(f'--backend mediapipe gives the {NUM_JOINTS} sign '
                     f'joints only; --joints {args.joints} needs --backend '
                     'mmpose')
    return args


def clip_entries(videos: Sequence[Path],
                 label_csv: Optional[str]) -> List[VideoEntry]:
    """The clips to write: the label CSV's, or every video unlabelled.

    Args:
        videos (Sequence[Path]): The extracted videos.
        label_csv (str, optional): CSV of labelled clips.

    Returns:
        list[VideoEntry]: The clips.
    """
    if label_csv is not None:
        return read_label_csv(label_csv)
    return [VideoEntry(video.stem, UNLABELLED, 'all') for video in videos]


def run_backend(videos: Sequence[Path], args: argparse.Namespace) -> None:
    """Step 1: write the pose file of every video with ``args.backend``.

    Args:
        videos (Sequence[Path]): The videos.
        args (argparse.Namespace): The parsed arguments.

    Raises:
        ImportError: the backend's packages or models are missing.
    """
    if args.backend == 'mediapipe':
        extract_poses_mediapipe(
            videos,
            args.pose_dir,
            skip_existing=not args.overwrite,
            model_complexity=args.model_complexity)
    else:
        extract_poses(
            videos,
            args.pose_dir,
            skip_existing=not args.overwrite,
            pose2d=args.pose2d,
            device=args.device)


def _img_shapes(videos: Sequence[Path]) -> Dict[str, Tuple[int, int]]:
    """Video stem -> ``(h, w)`` read from each video."""
    return {video.stem: video_shape(video) for video in videos}


def main(argv: Optional[List[str]] = None) -> None:
    """Extract the poses, then write the annotation pickle if asked.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Raises:
        SystemExit: no video found, a bad or unreadable video, or the pose
            model cannot be loaded (the message says how to install it).
    """
    args = parse_args(argv)
    try:
        videos = find_videos(args.videos)
    except (FileNotFoundError, ValueError) as exc:
        raise SystemExit(f'extract_poses.py: {exc}') from exc
    if not videos:
        raise SystemExit(f'extract_poses.py: no video in {args.videos}')
    try:
        run_backend(videos, args)
    except ImportError as exc:
        raise SystemExit(
            f'extract_poses.py: cannot run the pose model: {exc}') from exc
    except ValueError as exc:
        raise SystemExit(f'extract_poses.py: {exc}') from exc
    print(f'poses of {len(videos)} videos in {args.pose_dir}')
    if args.out_file is not None:
        img_shapes = None if args.img_shape else _img_shapes(videos)
        print(run_build(clip_entries(videos, args.labels), args, img_shapes))


if __name__ == '__main__':
    main()
