"""Video demo: the signer's skeleton and the top-k glosses drawn on frames.

Behind ``demo/demo_video.py`` (the shape of MMAction2's
``demo/demo_skeleton.py``): poses come from MediaPipe Holistic (49 sign
joints), the recognizer scores the whole clip (or, for a camera stream, the
last ``window`` frames) through the config's test pipeline, and every frame
is written back with the skeleton (body bones grey, each finger its own
colour, left-hand joints ringed white) and the ranked glosses with scores.
Drawing uses OpenCV only, so it runs headless.
"""
from collections import deque
from pathlib import Path
from typing import (Dict, Iterable, Iterator, List, Optional, Sequence, Tuple,
                    Union)

import numpy as np
import torch.nn as nn
from mmengine.dataset import Compose

from ..datasets.converters.mediapipe_poses import (HolisticEstimator,
                                                   mediapipe_to_sign_joints)
from ..sign_layout import (BODY_BONES, HAND_BONES, LEFT_HAND_SLICE,
                           RIGHT_HAND_SLICE)
from .inference import _clip, predict_scores, topk_predictions
from .video_checks import (DEFAULT_POSE_FPS, NO_SIGNING, count_detections,
                           iter_checked_predictions, prepare_clips)

__all__ = [
    'FINGER_COLOURS', 'BODY_COLOUR', 'MESSAGE_COLOUR', 'sign_bone_colours',
    'draw_skeleton', 'draw_topk', 'draw_lines', 'overlay_lines',
    'frame_results', 'annotate_frames', 'write_video', 'recognise',
    'recognise_video', 'StreamRecognizer'
]

#: BGR colour of each finger (thumb, index, middle, ring, little).
FINGER_COLOURS = ((0, 0, 255), (0, 165, 255), (0, 200, 0), (255, 128, 0),
                  (200, 0, 200))
#: BGR colour of the body bones and joints.
BODY_COLOUR = (160, 160, 160)
#: BGR colour of messages (no signing, unsure, warnings): yellow.
MESSAGE_COLOUR = (0, 230, 255)


def sign_bone_colours() -> List[tuple]:
    """``(child, parent, bgr)`` of every bone of the 49-joint skeleton.

    Body bones (and the wrist links) are :data:`BODY_COLOUR`; hand bone
    ``(child, parent)`` belongs to finger ``(child - 1) // 4``.
    """
    bones = [(c, p, BODY_COLOUR) for c, p in BODY_BONES]
    bones += [(LEFT_HAND_SLICE.start, 5, BODY_COLOUR),
              (RIGHT_HAND_SLICE.start, 6, BODY_COLOUR)]
    for start in (LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start):
        bones += [(start + c, start + p, FINGER_COLOURS[(c - 1) // 4])
                  for c, p in HAND_BONES]
    return bones


def draw_skeleton(frame: np.ndarray,
                  keypoint: np.ndarray,
                  score: np.ndarray,
                  score_thr: float = 0.3) -> np.ndarray:
    """Draw one frame's 49 sign joints (in place) and return the frame.

    Args:
        frame (np.ndarray): ``(h, w, 3)`` uint8 BGR image.
        keypoint (np.ndarray): ``(49, 2)`` pixel coordinates.
        score (np.ndarray): ``(49,)`` scores; joints at or below
            ``score_thr`` and their bones are not drawn.
        score_thr (float): Defaults to 0.3.

    Returns:
        np.ndarray: ``frame``.
    """
    import cv2
    seen = score > score_thr
    points = np.round(keypoint).astype(int)
    thickness = max(1, round(min(frame.shape[:2]) / 240))
    for child, parent, colour in sign_bone_colours():
        if seen[child] and seen[parent]:
            cv2.line(frame, tuple(map(int, points[child])),
                     tuple(map(int, points[parent])), colour, thickness,
                     cv2.LINE_AA)
    for joint in np.flatnonzero(seen):
        centre = tuple(map(int, points[joint]))
        cv2.circle(frame, centre, thickness + 1, (0, 0, 0), -1, cv2.LINE_AA)
        if LEFT_HAND_SLICE.start <= joint < LEFT_HAND_SLICE.stop:
            cv2.circle(frame, centre, thickness + 2, (255, 255, 255), 1,
                       cv2.LINE_AA)
    return frame


def draw_topk(frame: np.ndarray, topk: Sequence[Dict]) -> np.ndarray:
    """Write the ranked glosses with scores on a frame (in place).

    Args:
        frame (np.ndarray): ``(h, w, 3)`` uint8 BGR image.
        topk (Sequence[dict]): ``dict(name, score)`` per class, best first
            (an entry of :func:`~.inference.topk_predictions`' ``topk``).

    Returns:
        np.ndarray: ``frame``.
    """
    return draw_lines(frame, [
        f'{rank}. {pred["name"]} {pred["score"]:.3f}'
        for rank, pred in enumerate(topk, 1)
    ])


def draw_lines(frame: np.ndarray,
               texts: Sequence[str],
               colours: Optional[Sequence[tuple]] = None) -> np.ndarray:
    """Write lines of text in a black box at the top left (in place).

    Args:
        frame (np.ndarray): ``(h, w, 3)`` uint8 BGR image.
        texts (Sequence[str]): The lines.
        colours (Sequence[tuple], optional): BGR colour of each line;
            None writes them white. Defaults to None.

    Returns:
        np.ndarray: ``frame``.
    """
    import cv2
    scale = max(0.4, frame.shape[0] / 720)
    font, size = cv2.FONT_HERSHEY_SIMPLEX, 0.7 * scale
    weight = max(1, round(2 * scale))
    line, margin = int(28 * scale), int(8 * scale)
    colours = colours or [(255, 255, 255)] * len(texts)
    width = max((cv2.getTextSize(t, font, size, weight)[0][0] for t in texts),
                default=0) + 2 * margin
    cv2.rectangle(frame, (0, 0), (width, line * len(texts) + line // 2),
                  (0, 0, 0), -1)
    for rank, (text, colour) in enumerate(zip(texts, colours), 1):
        cv2.putText(frame, text, (margin, line * rank), font, size, colour,
                    weight, cv2.LINE_AA)
    return frame


def overlay_lines(result: Dict) -> List[Tuple[str, tuple]]:
    """The lines drawn for a result (see :mod:`.video_checks`).

    Args:
        result (dict): A judged result or a no-signing record.

    Returns:
        list[tuple[str, tuple]]: ``(text, bgr)``: the window's span, a
        no-signing line with the counts, or an ``unsure`` / partial
        warning line and the ranked glosses.
    """
    lines = []
    if result.get('span') is not None:
        lines.append((f'{result["span"][0]:.1f}-{result["span"][1]:.1f} s',
                      BODY_COLOUR))
    if result.get('status') == NO_SIGNING:
        counts = result['detection']
        return lines + [
            (NO_SIGNING, MESSAGE_COLOUR),
            (f'hands in {counts["hand_frames"]}/{counts["frames"]} frames',
             MESSAGE_COLOUR)
        ]
    if result.get('status') == 'unsure':
        lines.append(('unsure: low score', MESSAGE_COLOUR))
    if result.get('warning'):
        counts = result['detection']
        lines.append((f'warning: hands in {counts["hand_frames"]}/'
                      f'{counts["frames"]} frames', MESSAGE_COLOUR))
    lines += [(f'{rank}. {pred["name"]} {pred["score"]:.3f}', (255, 255, 255))
              for rank, pred in enumerate(result['topk'], 1)]
    return lines


def frame_results(results: Sequence[Dict], num_frames: int,
                  fps: float) -> List[int]:
    """Which result each video frame shows: the window holding the
    frame's time whose centre is nearest (the last window for frames
    past every window; the only result for a whole clip).

    Args:
        results (Sequence[dict]): Results, with ``span`` for windows.
        num_frames (int): Frames of the video.
        fps (float): Its frame rate.

    Returns:
        list[int]: An index into ``results`` per frame.
    """
    spans = np.array([r.get('span') or (0.0, np.inf) for r in results],
                     np.float64)
    times = np.arange(num_frames)[:, None] / fps
    inside = (spans[None, :, 0] <= times) & (times < spans[None, :, 1])
    distance = np.abs(times - spans.mean(1)[None])
    distance = np.where(np.isfinite(distance), distance, 0.0)
    distance = np.where(inside, distance, np.inf)
    best = distance.argmin(1)
    best[~inside.any(1)] = len(results) - 1
    return best.tolist()


def annotate_frames(frames: Iterable[np.ndarray],
                    keypoint: np.ndarray,
                    score: np.ndarray,
                    topk: Sequence,
                    score_thr: float = 0.3) -> Iterator[np.ndarray]:
    """Frames of a video with their skeleton and the glosses.

    Args:
        frames (Iterable[np.ndarray]): The T BGR frames.
        keypoint (np.ndarray): ``(T, 49, 2)`` pixel coordinates.
        score (np.ndarray): ``(T, 49)`` scores.
        topk (Sequence): The clip's ranked glosses (``dict(name, score)``
            each), or per frame the ``(text, bgr)`` lines to draw (from
            :func:`overlay_lines`).
        score_thr (float): Joint score threshold. Defaults to 0.3.

    Yields:
        np.ndarray: Each annotated frame.

    Raises:
        ValueError: there are more frames than poses.
    """
    per_frame = bool(topk) and not isinstance(topk[0], dict)
    for index, frame in enumerate(frames):
        if index >= len(keypoint):
            raise ValueError(f'frame {index} has no pose: the video has more '
                             f'frames than the {len(keypoint)} poses')
        draw_skeleton(frame, keypoint[index], score[index], score_thr)
        if per_frame:
            texts, colours = zip(*topk[index]) if topk[index] else ((), ())
            yield draw_lines(frame, texts, colours)
        else:
            yield draw_topk(frame, topk)


def write_video(frames: Iterable[np.ndarray], path: Union[str, Path],
                fps: float) -> int:
    """Write BGR frames as a video (MP4 / ``mp4v`` for ``.mp4``).

    Args:
        frames (Iterable[np.ndarray]): Frames of one size.
        path (str | Path): Output file (parents are created); ``.avi`` is
            written as MJPG, anything else as ``mp4v``.
        fps (float): Frame rate.

    Returns:
        int: Frames written.

    Raises:
        ValueError: no frame, or the writer cannot open ``path``.
    """
    import cv2
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    codec = 'MJPG' if path.suffix.lower() == '.avi' else 'mp4v'
    writer, count = None, 0
    try:
        for frame in frames:
            if writer is None:
                height, width = frame.shape[:2]
                writer = cv2.VideoWriter(
                    str(path), cv2.VideoWriter_fourcc(*codec), fps,
                    (width, height))
                if not writer.isOpened():
                    raise ValueError(f'{path}: cannot write a video here')
            writer.write(frame)
            count += 1
    finally:
        if writer is not None:
            writer.release()
    if count == 0:
        raise ValueError(f'{path}: no frame to write')
    return count


def recognise(model: nn.Module,
              pipeline: Compose,
              keypoint: np.ndarray,
              score: np.ndarray,
              img_shape: tuple,
              class_names: Sequence[str],
              k: int = 5,
              name: str = 'clip') -> List[Dict]:
    """Top-k glosses of one pose sequence.

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): Its test pipeline.
        keypoint (np.ndarray): ``(T, 49, 2)`` pixel coordinates.
        score (np.ndarray): ``(T, 49)`` scores.
        img_shape (tuple): ``(h, w)`` of the frames.
        class_names (Sequence[str]): Name of each class.
        k (int): Glosses kept. Defaults to 5.
        name (str): ``frame_dir`` of the clip. Defaults to ``'clip'``.

    Returns:
        list[dict]: ``dict(label, name, score)``, best first.
    """
    clip = _clip(name, keypoint[None], score[None], img_shape)
    scores = predict_scores(model, pipeline, [clip])
    return topk_predictions(scores, [clip], class_names, k)[0]['topk']


def recognise_video(model: nn.Module,
                    pipeline: Compose,
                    clip: Dict,
                    class_names: Sequence[str],
                    k: int = 5,
                    target_fps: float = DEFAULT_POSE_FPS,
                    window: Optional[float] = None,
                    stride: Optional[float] = None,
                    min_score: float = 0.0) -> List[Dict]:
    """Judged results of a video clip, whole or in windows.

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): Its test pipeline.
        clip (dict): The video's clip, with its frame rate in ``fps``.
        class_names (Sequence[str]): Name of each class.
        k (int): Glosses kept. Defaults to 5.
        target_fps (float): The model's frame rate. Defaults to 30.
        window (float, optional): Window seconds; None scores the whole
            clip. Defaults to None.
        stride (float, optional): Seconds between windows. Defaults to
            None (``window``).
        min_score (float): Unsure below this top score. Defaults to 0.0.

    Returns:
        list[dict]: Results and no-signing records
        (:func:`~.video_checks.iter_checked_predictions`).
    """
    clips = prepare_clips([clip], target_fps, None, window, stride)
    return list(
        iter_checked_predictions(
            model, pipeline, clips, class_names, k=k, min_score=min_score))


class StreamRecognizer:
    """Glosses of a live stream over a sliding window of frames.

    Each :meth:`__call__` takes one BGR frame, estimates its pose, and every
    ``stride`` frames re-scores the last ``window`` poses; it returns the
    frame with its skeleton and the latest top-k glosses drawn, or "no
    signing detected" while the window has too few frames with a hand
    (:func:`~.video_checks.count_detections`).

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): Its test pipeline.
        class_names (Sequence[str]): Name of each class.
        window (int): Frames scored together. Defaults to 64.
        stride (int): Frames between two scorings. Defaults to 8.
        k (int): Glosses shown. Defaults to 5.
        estimator (HolisticEstimator, optional): Pose estimator; None builds
            one (MediaPipe, ``model_complexity=1``). Defaults to None.
    """

    def __init__(self,
                 model: nn.Module,
                 pipeline: Compose,
                 class_names: Sequence[str],
                 window: int = 64,
                 stride: int = 8,
                 k: int = 5,
                 estimator: Optional[HolisticEstimator] = None) -> None:
        if window < 1 or stride < 1:
            raise ValueError(f'window and stride must be >= 1, got {window} '
                             f'and {stride}')
        self.model, self.pipeline = model, pipeline
        self.class_names, self.k, self.stride = class_names, k, stride
        self.estimator = estimator or HolisticEstimator()
        self.poses = deque(maxlen=window)
        self.topk: List[Dict] = []
        self.signing: Optional[bool] = None
        self.frames_seen = 0

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """Estimate, maybe re-score, and draw one frame (in place)."""
        pose, left, right = self.estimator(frame)
        keypoint, score = mediapipe_to_sign_joints(pose[None], left[None],
                                                   right[None],
                                                   frame.shape[:2])
        self.poses.append((keypoint[0], score[0]))
        self.frames_seen += 1
        if self.frames_seen % self.stride == 0 or self.signing is None:
            keypoints, scores = map(np.stack, zip(*self.poses))
            self.signing = count_detections(scores).signing
            if self.signing:
                self.topk = recognise(self.model, self.pipeline, keypoints,
                                      scores, frame.shape[:2],
                                      self.class_names, self.k, 'stream')
        draw_skeleton(frame, keypoint[0], score[0])
        if not self.signing:
            return draw_lines(frame, [NO_SIGNING], [MESSAGE_COLOUR])
        return draw_topk(frame, self.topk)

    def close(self) -> None:
        """Release the pose estimator."""
        self.estimator.close()
