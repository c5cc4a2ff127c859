"""The records the converters hand to each other.

:class:`VideoEntry` (a clip of a benchmark's split files) goes from the
split readers (:mod:`.benchmarks`, :func:`~.pose_files.read_label_csv`) to
:func:`~.pose_files.build_annotations`; :class:`PoseTrack` (one person's
poses over a video) comes from every pose reader (:mod:`.pose_files`,
:mod:`.pose_format_files`, :mod:`.mediapipe_poses`); :class:`BuildResult`
is what the annotation builders (:mod:`.pose_files`, :mod:`.mp_data`)
return. They live here, below all of those modules, so that the readers
need not import each other.
"""
from typing import Dict, List, NamedTuple, Optional, Tuple

import numpy as np

__all__ = ['VideoEntry', 'PoseTrack', 'BuildResult']


class VideoEntry(NamedTuple):
    """One clip of a benchmark's split files.

    ``frame_start`` / ``frame_end`` are the clip's 0-based half-open frame
    range in its video (``frame_end`` None: to the end of the video).
    """

    video_id: str
    label: int
    split: str
    frame_start: int = 0
    frame_end: Optional[int] = None
    gloss: Optional[str] = None
    signer: Optional[int] = None


class PoseTrack(NamedTuple):
    """One person's poses over a video: ``(T, V, 2)`` and ``(T, V)``."""

    keypoint: np.ndarray
    keypoint_score: np.ndarray
    img_shape: Optional[Tuple[int, int]] = None


class BuildResult(NamedTuple):
    """Output of :func:`~.pose_files.build_annotations` and
    :func:`~.mp_data.build_mp_data_annotations`."""

    annotations: List[dict]
    split: Dict[str, List[str]]
    missing: List[str]  #: video ids without a pose file
    empty: List[str]  #: video ids whose (trimmed) poses have no frame
