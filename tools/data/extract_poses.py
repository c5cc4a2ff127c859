"""Extract MMPose whole-body keypoints from videos into an annotation pickle.

Usage::

    python tools/data/extract_poses.py VIDEO_OR_DIR [VIDEO_OR_DIR ...] \\
        --pose-dir POSE_DIR [--ann-file OUT.pkl] [--labels LABELS.csv] \\
        [--joints {133,49}] [--signer {largest,track}] [--img-shape H W] \\
        [--pose2d wholebody] [--device cuda:0] [--overwrite]

Step 1 runs ``MMPoseInferencer(pose2d=...)`` (COCO-WholeBody, 133
keypoints, with its RTMDet person detector; weights are downloaded on first
use) on every video given or found recursively in the given directories
(``.mp4 .avi .mov .mkv .webm``) and writes ``POSE_DIR/<video stem>.json``.
Videos whose JSON already exists are skipped unless ``--overwrite``, so an
interrupted run resumes and a run whose poses all exist needs no model.

Step 2 (with ``--ann-file``) converts the JSON files into an MMAction2
PoseDataset pickle, as ``tools/data/mmpose_json_to_ann.py`` does: one person
per frame (``--signer``), 133 or MASA's 49 joints (``--joints``), and
``img_shape`` read from each video (``--img-shape`` overrides it). With
``--labels`` (CSV header ``video,label[,split][,gloss]``, ``video`` = the
video's stem) the listed clips are written with their labels and splits;
without it every video becomes an unlabelled clip (``label=-1``, split
``all``; load it with ``ISLRDataset(..., allow_unlabelled=True)``, e.g. for
self-supervised pre-training).

Running the pose model needs full mmcv (compiled ops), mmdet and mmpose;
mmaction_masa itself runs on mmcv-lite. Without them the script stops with
the install command::

    pip install -U openmim && mim install mmcv==2.1.0 mmdet mmpose

Example::

    python tools/data/extract_poses.py data/my_videos --pose-dir \\
        data/my_poses --ann-file data/my_signs.pkl --labels \\
        data/labels.csv --joints 49 --device cuda:0
"""
import argparse
import os.path as osp
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))
from mmaction_masa.datasets.converters import (  # noqa: E402
    VideoEntry, extract_poses, find_videos, read_label_csv, video_shape)
from mmaction_masa.datasets.converters.cli import (add_output_args,  # noqa
                                                   run_build)
from mmaction_masa.datasets.islr_dataset import UNLABELLED  # noqa: E402

__all__ = ['parse_args', 'clip_entries', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments (``pose_dir`` is where the JSON
        files go and are read from).
    """
    parser = argparse.ArgumentParser(
        description='videos -> MMPose whole-body JSON per video -> '
        'PoseDataset annotation pickle')
    parser.add_argument(
        'videos', nargs='+', help='video files and/or directories of videos')
    parser.add_argument(
        '--pose-dir',
        required=True,
        help='directory of the <video stem>.json prediction files')
    add_output_args(parser, optional_out_file=True)
    parser.add_argument(
        '--labels',
        help='CSV with header video,label[,split][,gloss]; without it the '
        'clips are unlabelled (label -1, split "all")')
    parser.add_argument(
        '--pose2d',
        default='wholebody',
        help="MMPose model alias or config (default 'wholebody')")
    parser.add_argument(
        '--device', help='e.g. cuda:0 or cpu (default: MMPose picks)')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='re-extract videos whose JSON file exists')
    return parser.parse_args(argv)


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


def _img_shapes(videos: Sequence[Path]) -> Dict[str, Tuple[int, int]]:
    """Video stem -> ``(h, w)`` read from each video."""
    return {video.stem: video_shape(video) for video in videos}


def main(argv: Optional[List[str]] = None) -> None:
    """Extract the poses, then write the annotation pickle if asked.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Raises:
        SystemExit: no video found, a bad video path, or the pose model
            cannot be loaded (the message says how to install it).
    """
    args = parse_args(argv)
    try:
        videos = find_videos(args.videos)
    except (FileNotFoundError, ValueError) as exc:
        raise SystemExit(f'extract_poses.py: {exc}') from exc
    if not videos:
        raise SystemExit(f'extract_poses.py: no video in {args.videos}')
    try:
        extract_poses(
            videos,
            args.pose_dir,
            skip_existing=not args.overwrite,
            pose2d=args.pose2d,
            device=args.device)
    except ImportError as exc:
        raise SystemExit(
            f'extract_poses.py: cannot run the pose model: {exc}') from exc
    print(f'poses of {len(videos)} videos in {args.pose_dir}')
    if args.out_file is not None:
        img_shapes = None if args.img_shape else _img_shapes(videos)
        print(
            run_build(clip_entries(videos, args.labels), args, img_shapes))


if __name__ == '__main__':
    main()
