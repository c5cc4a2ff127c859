"""Video -> MMPose COCO-WholeBody predictions (one JSON per video).

Running the pose model needs mmpose's model API, i.e. full mmcv (compiled
ops) and mmdet for the person detector; this package itself runs on
``mmcv-lite``. They are imported only inside :func:`build_pose_inferencer`,
which fails with :data:`INSTALL_HINT` when they are missing.
"""
from importlib.util import find_spec
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple, Union

__all__ = [
    'INSTALL_HINT', 'VIDEO_SUFFIXES', 'find_videos', 'video_shape',
    'build_pose_inferencer', 'extract_video', 'plan_outputs', 'extract_poses'
]

#: How to get the full OpenMMLab stack that pose extraction needs.
INSTALL_HINT = (
    'Pose extraction runs MMPose models, which need full mmcv (compiled '
    'ops) and mmdet; mmaction_masa itself only needs mmcv-lite. On a '
    'machine that can build mmcv (CUDA toolkit / compiler matching torch), '
    'run:\n    pip install -U openmim && mim install mmcv==2.1.0 mmdet '
    'mmpose\n(or extract poses elsewhere and convert the JSON files with '
    'tools/data/mmpose_json_to_ann.py)')
#: Suffixes :func:`find_videos` treats as videos.
VIDEO_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.webm')


def find_videos(paths: Iterable[Union[str, Path]]) -> List[Path]:
    """Video files given directly or found recursively in directories.

    Args:
        paths (Iterable[str | Path]): Video files and/or directories.

    Returns:
        list[Path]: The videos, sorted, each once.

    Raises:
        FileNotFoundError: a path does not exist.
        ValueError: a file is not a video, or two videos share a file stem
            (their JSON outputs would collide).
    """
    videos = set()
    for path in map(Path, paths):
        if path.is_dir():
            videos.update(
                p for p in path.rglob('*')
                if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file())
        elif path.is_file():
            if path.suffix.lower() not in VIDEO_SUFFIXES:
                raise ValueError(f'{path}: not a video ({VIDEO_SUFFIXES})')
            videos.add(path)
        else:
            raise FileNotFoundError(f'no such video or directory: {path}')
    stems: Dict[str, Path] = {}
    for video in sorted(videos):
        if video.stem in stems:
            raise ValueError(f'videos {stems[video.stem]} and {video} share '
                             'the name used for their pose file')
        stems[video.stem] = video
    return sorted(videos)


def video_shape(video: Union[str, Path]) -> Tuple[int, int]:
    """``(height, width)`` of a video's frames.

    Raises:
        ValueError: the video cannot be opened.
    """
    import cv2
    capture = cv2.VideoCapture(str(video))
    try:
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    finally:
        capture.release()
    if not height or not width:
        raise ValueError(f'{video}: cannot read the video')
    return height, width


def build_pose_inferencer(pose2d: str = 'wholebody',
                          device: Optional[str] = None,
                          **kwargs):
    """MMPose's ``MMPoseInferencer`` for COCO-WholeBody (133 keypoints).

    Args:
        pose2d (str): Model alias or config (``'wholebody'``: mmpose's
            default whole-body RTMPose with its RTMDet person detector).
            Weights are downloaded on first use. Defaults to
            ``'wholebody'``.
        device (str, optional): e.g. ``'cuda:0'``; None picks one.
        **kwargs: More ``MMPoseInferencer`` arguments (``pose2d_weights``,
            ``det_model`` ...).

    Returns:
        mmpose.apis.MMPoseInferencer: The inferencer.

    Raises:
        ImportError: full mmcv, mmdet or mmpose's model API is missing; the
            message says how to install them (:data:`INSTALL_HINT`).
    """
    required = {'mmcv._ext': 'full mmcv (mmcv._ext)', 'mmdet': 'mmdet'}
    missing = [
        what for name, what in required.items()
        if find_spec(name.split('.')[0]) is None or find_spec(name) is None
    ]
    if missing:
        raise ImportError(f'{" and ".join(missing)} not installed. '
                          f'{INSTALL_HINT}')
    try:
        from mmpose.apis import MMPoseInferencer
    except ImportError as exc:
        raise ImportError(f'cannot import mmpose.apis ({exc}). '
                          f'{INSTALL_HINT}') from exc
    return MMPoseInferencer(pose2d=pose2d, device=device, **kwargs)


def extract_video(video: Union[str, Path], inferencer,
                  out_dir: Union[str, Path]) -> Path:
    """Run the inferencer on one video, writing ``<out_dir>/<stem>.json``.

    Args:
        video (str | Path): The video file.
        inferencer: An ``MMPoseInferencer``.
        out_dir (str | Path): Directory of the prediction files.

    Returns:
        Path: The JSON file (MMPoseInferencer's video prediction format).
    """
    for _ in inferencer(str(video), pred_out_dir=str(out_dir)):
        pass  # the inferencer is a generator; it writes the file at the end
    return Path(out_dir) / f'{Path(video).stem}.json'


def plan_outputs(videos: Iterable[Union[str, Path]], out_dir: Union[str, Path],
                 suffix: str,
                 skip_existing: bool) -> Tuple[Dict[str, Path], List[Path]]:
    """The pose file of every video (``<out_dir>/<stem><suffix>``, the
    folder created) and the videos still to extract.

    Args:
        videos (Iterable[str | Path]): Video files.
        out_dir (str | Path): Directory of the pose files.
        suffix (str): Pose-file suffix, e.g. ``'.json'``.
        skip_existing (bool): Leave out videos whose file exists.

    Returns:
        tuple[dict[str, Path], list[Path]]: Video stem -> pose file, and the
        videos to extract.
    """
    videos = [Path(v) for v in videos]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {v.stem: out_dir / f'{v.stem}{suffix}' for v in videos}
    todo = [
        v for v in videos if not (skip_existing and outputs[v.stem].is_file())
    ]
    return outputs, todo


def extract_poses(videos: Iterable[Union[str, Path]],
                  out_dir: Union[str, Path],
                  inferencer=None,
                  skip_existing: bool = True,
                  **inferencer_kwargs) -> Dict[str, Path]:
    """Extract whole-body poses of videos into one JSON file per video.

    Args:
        videos (Iterable[str | Path]): Video files.
        out_dir (str | Path): Directory of the ``<stem>.json`` files.
        inferencer (optional): An ``MMPoseInferencer``; built with
            :func:`build_pose_inferencer` (``inferencer_kwargs``) only when
            some video still needs extraction. Defaults to None.
        skip_existing (bool): Keep existing JSON files instead of
            re-extracting. Defaults to True.
        **inferencer_kwargs: For :func:`build_pose_inferencer`.

    Returns:
        dict[str, Path]: Video stem -> JSON file, for every video.
    """
    outputs, todo = plan_outputs(videos, out_dir, '.json', skip_existing)
    if todo and inferencer is None:
        inferencer = build_pose_inferencer(**inferencer_kwargs)
    for video in todo:
        extract_video(video, inferencer, out_dir)
    return outputs
