"""Videos as people record them: is anyone signing, at what frame rate,
in which windows, and how sure is the answer.

The inference tools (``tools/infer.py``, ``demo/demo_video.py``,
``demo/gradio_app.py``) run every video clip through these steps before
and after the recognizer:

1. :func:`conform_clip` resamples the poses to the frame rate the model
   was trained at (:func:`model_pose_fps`: the config's ``pose_fps``, else
   the checkpoint meta's, else :data:`DEFAULT_POSE_FPS`, the corpus'
   ~30 fps) with :func:`~mmaction_masa.datasets.transforms.time_warp.
   resample_pose`;
2. :func:`window_clips` cuts it into sliding windows of ``window`` seconds
   every ``stride`` seconds (or keeps it whole);
3. :func:`count_detections` counts the frames with a body and with at
   least one hand; below :data:`MIN_HAND_FRAMES` frames with a hand (or
   with no body at all) there is **no signing**, and no gloss is given;
   under :data:`WARN_HAND_FRACTION` of the frames with a hand the answer
   carries a warning;
4. :func:`judge_result` marks an answer whose top score is below
   ``min_score`` (:data:`DEFAULT_MIN_SCORE`, measured on real clips, see
   ``docs/en/user_guides/inference.md``) as unsure.
"""
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

import numpy as np
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import Compose

from ..datasets.transforms.time_warp import resample_pose
from ..sign_layout import BODY_SLICE, LEFT_HAND_SLICE, RIGHT_HAND_SLICE
from .inference import _batch_scores, iter_batches, topk_predictions

__all__ = [
    'DEFAULT_POSE_FPS', 'FPS_TOLERANCE', 'MIN_HAND_FRAMES',
    'WARN_HAND_FRACTION', 'DEFAULT_MIN_SCORE', 'NO_SIGNING', 'Detection',
    'count_detections', 'model_pose_fps', 'conform_clip', 'window_clips',
    'judge_result', 'no_signing_result', 'result_line', 'prepare_clips',
    'iter_checked_predictions'
]

#: Frame rate of the training corpus (used when neither the config's
#: ``pose_fps`` nor the checkpoint's meta gives one).
DEFAULT_POSE_FPS = 30.0
#: Relative difference of frame rates below which poses are not resampled
#: (29.97 and 30 fps are the same rate).
FPS_TOLERANCE = 0.05
#: Fewer frames with a detected hand than this (at the model's frame rate,
#: 8 frames = 0.27 s at 30 fps) is no signing: no gloss is given.
MIN_HAND_FRAMES = 8
#: Under this fraction of frames with a hand the answer carries a warning.
WARN_HAND_FRACTION = 0.5
#: Default ``--min-score``: a top score below it is reported as unsure
#: (measured on wlasl50_dev, see docs/en/user_guides/inference.md).
DEFAULT_MIN_SCORE = 0.5
#: ``status`` of a clip or window without signing.
NO_SIGNING = 'no signing detected'

#: Joints of a 133-joint COCO-WholeBody clip (body, left / right hand).
_WHOLEBODY_PARTS = (slice(0, 11), slice(91, 112), slice(112, 133))
#: A joint counts as detected above this score (MediaPipe: 0 or 1 for
#: hands, the visibility for the body; MMPose: a confidence).
_SCORE_THR = 0.3


@dataclass(frozen=True)
class Detection:
    """How many frames show a body and a hand.

    Args:
        frames (int): Frames of the clip.
        body_frames (int): Frames with a detected body joint.
        hand_frames (int): Frames with at least one detected hand.
    """

    frames: int
    body_frames: int
    hand_frames: int

    @property
    def hand_fraction(self) -> float:
        """Fraction of frames with a hand (0 for an empty clip)."""
        return self.hand_frames / self.frames if self.frames else 0.0

    @property
    def signing(self) -> bool:
        """Enough frames with a hand (and a body) to recognise a sign."""
        return self.body_frames > 0 and self.hand_frames >= MIN_HAND_FRAMES

    @property
    def partial(self) -> bool:
        """Signing, but hands in fewer than :data:`WARN_HAND_FRACTION` of
        the frames."""
        return self.signing and self.hand_fraction < WARN_HAND_FRACTION

    def counts(self) -> str:
        """``'body in B/T frames, a hand in H/T frames'``."""
        return (f'body in {self.body_frames}/{self.frames} frames, a hand '
                f'in {self.hand_frames}/{self.frames} frames')

    def message(self, name: str) -> Optional[str]:
        """The message to show about clip ``name``, or None when fine.

        Args:
            name (str): The file (and window) the counts are of.
        """
        if not self.signing:
            return (f'{NO_SIGNING} in {name} ({self.counts()}; needs a body '
                    f'and a hand in >= {MIN_HAND_FRAMES} frames)')
        if self.partial:
            return (f'warning: hands found in only {self.hand_fraction:.0%} '
                    f'of the frames of {name} ({self.counts()}); the '
                    'glosses may be wrong')
        return None

    def as_dict(self) -> Dict:
        """JSON-ready counts."""
        return dict(
            frames=self.frames,
            body_frames=self.body_frames,
            hand_frames=self.hand_frames)


def count_detections(score: np.ndarray) -> Detection:
    """Count the frames with a body and with a hand.

    Args:
        score (np.ndarray): ``(M, T, V)`` or ``(T, V)`` joint scores of the
            49 sign joints or the 133 COCO-WholeBody joints (the first
            person when ``M > 1``).

    Returns:
        Detection: The counts.

    Raises:
        ValueError: ``score`` has another number of joints.
    """
    score = np.asarray(score)
    score = score[0] if score.ndim == 3 else score
    if score.shape[-1] == 49:
        body, left, right = BODY_SLICE, LEFT_HAND_SLICE, RIGHT_HAND_SLICE
    elif score.shape[-1] == 133:
        body, left, right = _WHOLEBODY_PARTS
    else:
        raise ValueError(f'keypoint_score: expected 49 or 133 joints, got '
                         f'shape {score.shape}')
    seen = score > _SCORE_THR
    hands = seen[:, left].any(1) | seen[:, right].any(1)
    return Detection(
        int(len(score)), int(seen[:, body].any(1).sum()), int(hands.sum()))


def model_pose_fps(cfg: Config, meta: Optional[Dict] = None) -> float:
    """The frame rate the model was trained at.

    Args:
        cfg (Config): The recognizer config; a top-level ``pose_fps`` wins.
        meta (dict, optional): The checkpoint's meta; its ``pose_fps`` is
            used next. Defaults to None.

    Returns:
        float: ``pose_fps``, else :data:`DEFAULT_POSE_FPS`.

    Raises:
        ValueError: the value is not a positive number.
    """
    fps = cfg.get('pose_fps', None)
    source = 'config'
    if fps is None:
        fps, source = (meta or {}).get('pose_fps'), 'checkpoint meta'
    if fps is None:
        return DEFAULT_POSE_FPS
    if not isinstance(fps, (int, float)) or fps <= 0:
        raise ValueError(f'{source}: pose_fps must be a positive number, '
                         f'got {fps!r}')
    return float(fps)


def conform_clip(clip: Dict,
                 target_fps: float,
                 fps: Optional[float] = None) -> Dict:
    """The clip at the model's frame rate.

    Poses are linearly interpolated (:func:`resample_pose`: a joint
    missing at either neighbouring frame stays missing) at the times
    ``j / target_fps`` seconds; a 60 fps clip keeps every second frame, a
    15 fps one gains one frame between two.

    Args:
        clip (dict): A clip (``keypoint`` ``(M, T, V, 2)``,
            ``keypoint_score`` ``(M, T, V)``), with its frame rate in
            ``fps`` when read from a video.
        target_fps (float): The model's frame rate.
        fps (float, optional): The clip's real frame rate, overriding
            ``clip['fps']`` (a wrong container value). Defaults to None.

    Returns:
        dict: A new clip with ``fps = target_fps`` (the same clip when its
        rate is unknown or within :data:`FPS_TOLERANCE`).

    Raises:
        ValueError: a frame rate is not positive.
    """
    fps = fps or clip.get('fps')
    if fps is None:
        return clip
    if fps <= 0 or target_fps <= 0:
        raise ValueError(f'{clip.get("source") or clip["frame_dir"]}: frame '
                         f'rates must be positive, got fps={fps} and '
                         f'target {target_fps}')
    out = dict(clip, fps=float(target_fps))
    frames = clip['keypoint'].shape[1]
    if abs(fps - target_fps) <= FPS_TOLERANCE * target_fps or frames < 2:
        return out
    step = fps / target_fps
    times = np.arange(int(np.floor((frames - 1) / step + 1e-6)) + 1) * step
    out['keypoint'], out['keypoint_score'] = resample_pose(
        clip['keypoint'], clip['keypoint_score'], times)
    out['total_frames'] = len(times)
    return out


def window_clips(clip: Dict,
                 window: Optional[float] = None,
                 stride: Optional[float] = None) -> Iterator[Dict]:
    """Sliding windows of a clip, each a clip with its time span.

    Args:
        clip (dict): A clip with ``fps`` (see :func:`conform_clip`); without
            one, :data:`DEFAULT_POSE_FPS` is assumed.
        window (float, optional): Window length in seconds; None yields the
            whole clip as it is. Defaults to None.
        stride (float, optional): Seconds between window starts; None is
            ``window`` (windows side by side). Defaults to None.

    Yields:
        dict: Clips with ``start`` / ``end`` in seconds; the last window
        ends with the clip (a shorter clip is one window).

    Raises:
        ValueError: ``window`` or ``stride`` is not positive.
    """
    if window is None:
        yield clip
        return
    fps = clip.get('fps') or DEFAULT_POSE_FPS
    frames = clip['keypoint'].shape[1]
    stride = window if stride is None else stride
    if window <= 0 or stride <= 0:
        raise ValueError(f'window and stride must be positive seconds, got '
                         f'{window} and {stride}')
    length = max(1, int(round(window * fps)))
    step = max(1, int(round(stride * fps)))
    starts = list(range(0, max(frames - length, 0) + 1, step))
    if starts[-1] + length < frames:
        starts.append(frames - length)
    for begin in starts:
        end = min(begin + length, frames)
        yield dict(
            clip,
            keypoint=clip['keypoint'][:, begin:end],
            keypoint_score=clip['keypoint_score'][:, begin:end],
            total_frames=end - begin,
            start=begin / fps,
            end=end / fps)


def _span(clip: Dict) -> Optional[List[float]]:
    """``[start, end]`` seconds of a window, rounded, or None."""
    if 'start' not in clip:
        return None
    return [round(clip['start'], 3), round(clip['end'], 3)]


def _where(clip: Dict) -> str:
    """The clip's file (else ``frame_dir``) and window span."""
    where = clip.get('source') or clip['frame_dir']
    span = _span(clip)
    if span is None:
        return where
    return f'{where} [{span[0]:.2f}-{span[1]:.2f} s]'


def no_signing_result(clip: Dict, detection: Detection) -> Dict:
    """The explicit record of a clip or window without signing.

    Args:
        clip (dict): The clip.
        detection (Detection): Its counts.

    Returns:
        dict: ``source``, ``frame_dir``, ``span``, ``status`` =
        :data:`NO_SIGNING`, ``message``, ``detection`` and an empty
        ``topk``.
    """
    label = clip.get('label', -1)
    return dict(
        source=clip.get('source', ''),
        frame_dir=clip['frame_dir'],
        span=_span(clip),
        label=label if label >= 0 else None,
        label_name=clip.get('gloss') if label >= 0 else None,
        status=NO_SIGNING,
        message=detection.message(_where(clip)),
        detection=detection.as_dict(),
        topk=[])


def judge_result(result: Dict,
                 clip: Dict,
                 detection: Optional[Detection],
                 min_score: float = 0.0) -> Dict:
    """Add ``status``, ``warning``, ``span`` and ``detection`` to a result.

    Args:
        result (dict): A result of
            :func:`~.inference.topk_predictions`.
        clip (dict): Its clip.
        detection (Detection, optional): Its counts (None for clips that
            are not checked, e.g. annotation pickles).
        min_score (float): A top score below it makes the status
            ``'unsure'``. Defaults to 0.0 (never).

    Returns:
        dict: ``result``, with ``status`` ``'ok'`` or ``'unsure'`` and
        ``warning`` (the partial-detection message, or None).
    """
    best = result['topk'][0]['score'] if result['topk'] else 0.0
    result['status'] = 'unsure' if best < min_score else 'ok'
    result['warning'] = None
    if detection is not None:
        result['detection'] = detection.as_dict()
        if detection.partial:
            result['warning'] = detection.message(_where(clip))
    span = _span(clip)
    if span is not None:
        result['span'] = span
    return result


def result_line(result: Dict, min_score: float = 0.0) -> str:
    """The printed line(s) of a result or a no-signing record.

    Args:
        result (dict): From :func:`judge_result` or
            :func:`no_signing_result`.
        min_score (float): The threshold, named in unsure lines.
            Defaults to 0.0.

    Returns:
        str: ``NAME [a-b s] (true: X): g1 0.812, g2 0.100, ...``, with
        ``unsure (...)`` before the glosses when the top score is below
        ``min_score``, a second line with the partial-detection warning,
        or ``NAME: no signing detected in FILE (counts)``.
    """
    name = result['frame_dir']
    if result.get('span') is not None:
        start, end = result['span']
        name = f'{name} [{start:.2f}-{end:.2f} s]'
    if result.get('status') == NO_SIGNING:
        return f'{name}: {result["message"]}'
    truth = '' if result.get('label') is None else (
        f' (true: {result["label_name"]})')
    ranked = ', '.join(f'{p["name"]} {p["score"]:.3f}' for p in result['topk'])
    if result.get('status') == 'unsure':
        ranked = (f'unsure (top score {result["topk"][0]["score"]:.3f} < '
                  f'--min-score {min_score:g}): {ranked}')
    line = f'{name}{truth}: {ranked}'
    if result.get('warning'):
        line += f'\n{name}: {result["warning"]}'
    return line


def prepare_clips(clips: Iterable[Dict],
                  target_fps: float = DEFAULT_POSE_FPS,
                  fps: Optional[float] = None,
                  window: Optional[float] = None,
                  stride: Optional[float] = None) -> Iterator[Dict]:
    """Video clips at the model's frame rate, windowed and counted.

    A clip read from a video (it has ``fps``) is resampled
    (:func:`conform_clip`), cut into windows (:func:`window_clips`) and
    each window gets its ``detection`` (:func:`count_detections`). Other
    clips (annotation pickles, pose files) are windowed only when
    ``window`` is given, and not checked.

    Args:
        clips (Iterable[dict]): Clips, e.g. from
            :func:`~.inference.iter_clips`.
        target_fps (float): The model's frame rate. Defaults to
            :data:`DEFAULT_POSE_FPS`.
        fps (float, optional): The videos' real frame rate (``--fps``).
            Defaults to None (the container's).
        window (float, optional): Window seconds. Defaults to None.
        stride (float, optional): Stride seconds. Defaults to None.

    Yields:
        dict: Clips (windows) to score.
    """
    for clip in clips:
        video = 'fps' in clip
        if video:
            clip = conform_clip(clip, target_fps, fps)
        elif window is None:
            yield clip
            continue
        for part in window_clips(clip, window, stride):
            if video:
                part['detection'] = count_detections(part['keypoint_score'])
            yield part


def iter_checked_predictions(model: nn.Module,
                             pipeline: Compose,
                             clips: Iterable[Dict],
                             class_names: Sequence[str],
                             batch_size: int = 16,
                             k: int = 5,
                             min_score: float = 0.0) -> Iterator[Dict]:
    """Results of clips from :func:`prepare_clips`, in their order.

    Clips without signing (``detection`` not :attr:`Detection.signing`)
    are not scored: their record is :func:`no_signing_result`. The others
    are scored batch by batch and judged (:func:`judge_result`).

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): The test pipeline.
        clips (Iterable[dict]): Clips, e.g. from :func:`prepare_clips`.
        class_names (Sequence[str]): The C class names.
        batch_size (int): Clips per forward pass. Defaults to 16.
        k (int): Classes kept per clip. Defaults to 5.
        min_score (float): Unsure below this top score. Defaults to 0.0.

    Yields:
        dict: One record per clip.

    Raises:
        ValueError: ``k`` < 1 or the model's width is not
            ``len(class_names)``.
    """
    if k < 1:
        raise ValueError(f'k must be >= 1, got {k}')
    for batch in iter_batches(clips, batch_size):
        signed = [
            clip for clip in batch
            if clip.get('detection') is None or clip['detection'].signing
        ]
        results = iter(())
        if signed:
            scores = _batch_scores(model, pipeline, signed)
            if scores.shape[1] != len(class_names):
                raise ValueError(
                    f'the model predicts {scores.shape[1]} classes but '
                    f'{len(class_names)} class names are given')
            results = iter(topk_predictions(scores, signed, class_names, k))
        for clip in batch:
            detection = clip.get('detection')
            if detection is not None and not detection.signing:
                yield no_signing_result(clip, detection)
            else:
                yield judge_result(next(results), clip, detection, min_score)
