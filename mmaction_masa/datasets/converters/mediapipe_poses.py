"""MediaPipe Holistic landmarks -> MASA's 49 sign joints.

MediaPipe Holistic (``mediapipe==0.10.14``, whose wheel still ships the
Holistic models, so it runs offline on a CPU) gives per frame 33 pose
landmarks ``(x, y, z, visibility)``, 468 face landmarks and 21 landmarks
``(x, y, z)`` per hand, ``x`` / ``y`` normalised by the image width /
height. MASA's joints are taken as:

* body (joints 0-6): MediaPipe pose ``0, 11, 12, 13, 14, 15, 16`` (nose,
  left / right shoulder, elbow, wrist), the same joints as COCO-WholeBody
  ``0, 5-10``; their score is the pose landmark's ``visibility``;
* left / right hand (joints 7-27 / 28-48): ``left_hand_landmarks`` /
  ``right_hand_landmarks`` (the signer's own left / right, anchored at pose
  wrist 15 / 16), whose 21-joint order is COCO-WholeBody's; MediaPipe gives
  no per-joint confidence, so a found hand scores 1 and a missing one 0.

Missing parts are zero arrays (as the MediaPipe tutorials store them) and
come out with coordinates 0 and score 0. :func:`mediapipe_to_sign_joints`
is the one conversion used both for live extraction
(:func:`extract_video_mediapipe`) and for stored landmark arrays.

Videos are read upright: a rotation stored in the container (phones
record portrait video as rotated landscape pixels plus a rotation flag) is
applied (OpenCV's ``CAP_PROP_ORIENTATION_AUTO``). MediaPipe's native logs
(TensorFlow Lite's ``INFO: Created ... delegate``, absl's ``W0000 ...
inference_feedback_manager.cc`` lines), which no environment variable of
mediapipe 0.10.14 silences, are sent to ``/dev/null`` while a graph is
built, run or closed, unless :func:`set_mediapipe_verbose` turned them on.
"""
import contextlib
import os
import sys
import warnings
from pathlib import Path
from typing import Dict, Iterable, Iterator, Optional, Tuple, Union

import numpy as np

from ...sign_layout import (BODY_SLICE, LEFT_HAND_SLICE, NUM_JOINTS,
                            RIGHT_HAND_SLICE)
from .extraction import plan_outputs
from .records import PoseTrack

__all__ = [
    'MEDIAPIPE_POSE_INDICES', 'NUM_MP_POSE', 'NUM_MP_FACE', 'NUM_MP_HAND',
    'MEDIAPIPE_INSTALL_HINT', 'mediapipe_to_sign_joints', 'iter_video_frames',
    'HolisticEstimator', 'estimate_frames', 'extract_video_mediapipe',
    'extract_poses_mediapipe', 'set_mediapipe_verbose', 'video_fps',
    'open_video'
]

#: MediaPipe pose landmarks of MASA's 7 body joints, in project order.
MEDIAPIPE_POSE_INDICES: Tuple[int, ...] = (0, 11, 12, 13, 14, 15, 16)
#: Landmarks per MediaPipe part.
NUM_MP_POSE, NUM_MP_FACE, NUM_MP_HAND = 33, 468, 21
#: What to install when mediapipe is missing.
MEDIAPIPE_INSTALL_HINT = (
    "pip install mediapipe==0.10.14 'numpy<2' 'protobuf<5' (installed by "
    'tools/setup_env.sh; newer mediapipe releases no longer ship the '
    'Holistic models)')

#: Whether MediaPipe's native log lines reach stderr (see
#: :func:`set_mediapipe_verbose`).
_VERBOSE = {'on': False}


def set_mediapipe_verbose(verbose: bool) -> None:
    """Let MediaPipe / TensorFlow Lite / absl log lines through (True) or
    silence them (False, the default).

    Args:
        verbose (bool): Show the native logs.
    """
    _VERBOSE['on'] = bool(verbose)


@contextlib.contextmanager
def _native_logs_silenced() -> Iterator[None]:
    """Point file descriptor 2 at ``/dev/null`` (unless verbose), so the
    C++ logs of MediaPipe's threads are dropped; Python's own ``sys.stderr``
    is flushed first and restored after."""
    if _VERBOSE['on']:
        yield
        return
    with contextlib.suppress(AttributeError, ValueError):
        sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        with warnings.catch_warnings():
            warnings.filterwarnings(
                'ignore', message='SymbolDatabase.GetPrototype')
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _present(part: np.ndarray) -> np.ndarray:
    """``(T,)`` True where a part's landmarks are not all zero."""
    return np.abs(part).reshape(len(part), -1).sum(1) > 0


def _check_part(name: str, part: np.ndarray, num: int) -> None:
    """Raise a ValueError unless ``part`` is ``(T, num, C >= 2)``."""
    if part.ndim != 3 or part.shape[1] != num or part.shape[2] < 2:
        raise ValueError(f'{name} landmarks must be (T, {num}, C >= 2), got '
                         f'{part.shape}')


def mediapipe_to_sign_joints(
        pose: np.ndarray, left_hand: np.ndarray, right_hand: np.ndarray,
        img_shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """MediaPipe Holistic landmarks of T frames -> 49 sign joints.

    Args:
        pose (np.ndarray): ``(T, 33, C)`` pose landmarks, ``C >= 2``
            normalised ``x, y`` first; with ``C == 4`` the last channel is
            the visibility, used as the body score (otherwise a found pose
            scores 1). All-zero frames mean no pose.
        left_hand (np.ndarray): ``(T, 21, C >= 2)``, the signer's left hand;
            all-zero frames mean no hand.
        right_hand (np.ndarray): ``(T, 21, C >= 2)``, the right hand.
        img_shape (tuple[int, int]): ``(h, w)`` of the frames, to turn the
            normalised coordinates into pixels.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(T, 49, 2)`` float32 pixel
        coordinates and ``(T, 49)`` float32 scores (0 for missing parts).

    Raises:
        ValueError: a part has the wrong shape or the parts disagree on T.
    """
    pose, left_hand, right_hand = (
        np.nan_to_num(np.asarray(p, np.float32))
        for p in (pose, left_hand, right_hand))
    for name, part, num in (('pose', pose, NUM_MP_POSE),
                            ('left hand', left_hand, NUM_MP_HAND),
                            ('right hand', right_hand, NUM_MP_HAND)):
        _check_part(name, part, num)
    if not len(pose) == len(left_hand) == len(right_hand):
        raise ValueError(f'pose, left and right hand landmarks have '
                         f'{len(pose)}, {len(left_hand)} and '
                         f'{len(right_hand)} frames')
    height, width = img_shape
    scale = np.array([width, height], np.float32)
    body = pose[:, MEDIAPIPE_POSE_INDICES]
    keypoint = np.zeros((len(pose), NUM_JOINTS, 2), np.float32)
    score = np.zeros((len(pose), NUM_JOINTS), np.float32)
    keypoint[:, BODY_SLICE] = body[..., :2] * scale
    body_score = body[..., 3] if pose.shape[2] == 4 else np.ones(
        body.shape[:2], np.float32)
    score[:, BODY_SLICE] = body_score * _present(pose)[:, None]
    for part, hand in ((LEFT_HAND_SLICE, left_hand), (RIGHT_HAND_SLICE,
                                                      right_hand)):
        keypoint[:, part] = hand[..., :2] * scale
        score[:, part] = _present(hand)[:, None]
    keypoint[score == 0] = 0
    return keypoint, score


def open_video(video: Union[str, Path]):
    """An opened ``cv2.VideoCapture`` that applies the stored rotation.

    Raises:
        ValueError: the video cannot be opened.
    """
    import cv2
    capture = cv2.VideoCapture(str(video))
    if not capture.isOpened():
        raise ValueError(f'{video}: cannot read the video')
    capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return capture


def video_fps(video: Union[str, Path]) -> Optional[float]:
    """The frame rate the video's container states, or None if it has
    none (pass the real one as ``--fps`` when it is wrong).

    Raises:
        ValueError: the video cannot be opened.
    """
    import cv2
    capture = open_video(video)
    try:
        fps = float(capture.get(cv2.CAP_PROP_FPS))
    finally:
        capture.release()
    return fps if np.isfinite(fps) and 0 < fps < 1000 else None


def iter_video_frames(video: Union[str, Path]) -> Iterator[np.ndarray]:
    """The frames of a video as ``(h, w, 3)`` uint8 BGR arrays (OpenCV),
    upright (a rotation stored in the container is applied).

    Raises:
        ValueError: the video cannot be opened.
    """
    capture = open_video(video)
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


def _frame_count(video: Union[str, Path]) -> Optional[int]:
    """The container's frame count (a progress-bar estimate), or None."""
    import cv2
    capture = cv2.VideoCapture(str(video))
    try:
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        capture.release()
    return count if count > 0 else None


def _landmarks(landmark_list, num: int, channels: int) -> np.ndarray:
    """A MediaPipe landmark list as ``(num, channels)``; zeros if None."""
    if landmark_list is None:
        return np.zeros((num, channels), np.float32)
    fields = ('x', 'y', 'z', 'visibility')[:channels]
    return np.array([[getattr(lm, f) for f in fields]
                     for lm in landmark_list.landmark], np.float32)


class HolisticEstimator:
    """MediaPipe Holistic on a stream of frames (one video or a camera).

    A context manager; each :meth:`__call__` gives the landmark arrays of one
    frame. Holistic tracks between frames, so use one estimator per video.

    Args:
        model_complexity (int): Pose model 0 (lite), 1 (full) or 2 (heavy).
            Defaults to 1.
        min_detection_confidence (float): Defaults to 0.5.
        min_tracking_confidence (float): Defaults to 0.5.

    Raises:
        ImportError: mediapipe is not installed (the message says how).
    """

    def __init__(self,
                 model_complexity: int = 1,
                 min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5) -> None:
        os.environ.setdefault('GLOG_minloglevel', '2')  # quieter C++ logs
        try:
            with _native_logs_silenced():
                from mediapipe.python.solutions import holistic
        except ImportError as exc:
            raise ImportError(f'cannot import mediapipe ({exc}); '
                              f'{MEDIAPIPE_INSTALL_HINT}') from exc
        self._options = dict(
            static_image_mode=False,
            model_complexity=model_complexity,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence)
        self._module = holistic
        self._holistic = None

    def __call__(self, frame_bgr: np.ndarray) -> Tuple[np.ndarray, ...]:
        """Landmarks of one BGR frame.

        The graph is built at the first frame, in the same silenced span
        as that frame (its threads log their set-up while it runs).

        Args:
            frame_bgr (np.ndarray): ``(h, w, 3)`` uint8 frame (OpenCV order).

        Returns:
            tuple[np.ndarray, ...]: pose ``(33, 4)``, left hand ``(21, 3)``
            and right hand ``(21, 3)``, normalised; zeros where not found.
        """
        rgb = np.ascontiguousarray(frame_bgr[..., ::-1])
        with _native_logs_silenced():
            if self._holistic is None:
                self._holistic = self._module.Holistic(**self._options)
            result = self._holistic.process(rgb)
        return (_landmarks(result.pose_landmarks, NUM_MP_POSE, 4),
                _landmarks(result.left_hand_landmarks, NUM_MP_HAND, 3),
                _landmarks(result.right_hand_landmarks, NUM_MP_HAND, 3))

    def close(self) -> None:
        """Release the MediaPipe graph (if a frame built it)."""
        if self._holistic is not None:
            with _native_logs_silenced():
                self._holistic.close()
            self._holistic = None

    def __enter__(self) -> 'HolisticEstimator':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def estimate_frames(frames: Iterable[np.ndarray],
                    img_shape: Tuple[int, int],
                    progress=None,
                    **estimator_kwargs) -> Tuple[np.ndarray, np.ndarray]:
    """Run Holistic on a sequence of frames -> 49 sign joints.

    Args:
        frames (Iterable[np.ndarray]): BGR frames of one video.
        img_shape (tuple[int, int]): ``(h, w)`` of the frames.
        progress (optional): An object with ``update(n)`` (a tqdm bar),
            advanced once per frame. Defaults to None.
        **estimator_kwargs: For :class:`HolisticEstimator`.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(T, 49, 2)`` and ``(T, 49)``.
    """
    parts = ([], [], [])
    with HolisticEstimator(**estimator_kwargs) as estimator:
        for frame in frames:
            for store, landmarks in zip(parts, estimator(frame)):
                store.append(landmarks)
            if progress is not None:
                progress.update(1)
    if not parts[0]:
        return (np.zeros((0, NUM_JOINTS, 2),
                         np.float32), np.zeros((0, NUM_JOINTS), np.float32))
    return mediapipe_to_sign_joints(
        *(np.stack(p) for p in parts), img_shape=img_shape)


def extract_video_mediapipe(video: Union[str, Path],
                            show_progress: bool = False,
                            **estimator_kwargs) -> PoseTrack:
    """The signer's 49 sign joints in every frame of a video.

    Args:
        video (str | Path): The video file.
        show_progress (bool): Show a tqdm bar over the frames. Defaults to
            False.
        **estimator_kwargs: For :class:`HolisticEstimator`
            (``model_complexity`` ...).

    Returns:
        PoseTrack: ``(T, 49, 2)`` pixel coordinates, ``(T, 49)`` scores and
        the ``(h, w)`` of the upright frames.

    Raises:
        ValueError: the video cannot be read or has no frame.
        ImportError: mediapipe is missing.
    """
    img_shape = _upright_shape(video)
    bar = _bar(
        total=_frame_count(video),
        desc=Path(video).name,
        unit='frame',
        leave=False) if show_progress else None
    try:
        keypoint, score = estimate_frames(
            iter_video_frames(video), img_shape, bar, **estimator_kwargs)
    finally:
        if bar is not None:
            bar.total = bar.n  # the container's count is an estimate
            bar.refresh()
            bar.close()
    if len(keypoint) == 0:
        raise ValueError(f'{video}: the video has no frame')
    return PoseTrack(keypoint, score, img_shape)


def _upright_shape(video: Union[str, Path]) -> Tuple[int, int]:
    """``(h, w)`` of the first frame as read (rotation applied).

    Raises:
        ValueError: the video cannot be read or has no frame.
    """
    first = next(iter_video_frames(video), None)
    if first is None:
        raise ValueError(f'{video}: the video has no frame')
    return first.shape[:2]


def _bar(**kwargs):
    """A tqdm progress bar (on stderr)."""
    from tqdm import tqdm
    return tqdm(**kwargs)


def extract_poses_mediapipe(videos: Iterable[Union[str, Path]],
                            out_dir: Union[str, Path],
                            skip_existing: bool = True,
                            show_progress: bool = True,
                            **estimator_kwargs) -> Dict[str, Path]:
    """Extract 49-joint poses of videos into one ``<stem>.pkl`` per video.

    Each file holds ``dict(keypoint=(T, 49, 2), keypoint_score=(T, 49),
    img_shape=(h, w), backend='mediapipe')``, a pose file that
    :func:`~.pose_files.read_pose_file` and the converters read.

    Args:
        videos (Iterable[str | Path]): Video files.
        out_dir (str | Path): Directory of the pose files.
        skip_existing (bool): Keep existing files instead of re-extracting.
            Defaults to True.
        show_progress (bool): tqdm bars over the videos and the frames.
            Defaults to True.
        **estimator_kwargs: For :class:`HolisticEstimator`.

    Returns:
        dict[str, Path]: Video stem -> pose file, for every video.
    """
    import mmengine
    outputs, todo = plan_outputs(videos, out_dir, '.pkl', skip_existing)
    bar = _bar(
        total=len(todo), desc='videos',
        unit='video') if show_progress and todo else None
    for video in todo:
        track = extract_video_mediapipe(video, show_progress,
                                        **estimator_kwargs)
        mmengine.dump(
            dict(
                keypoint=track.keypoint,
                keypoint_score=track.keypoint_score,
                img_shape=track.img_shape,
                backend='mediapipe'),
            str(outputs[video.stem]),
            file_format='pkl')
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return outputs
