"""Temporal sampling of sign clips: fixed-length clips and whole clips at
their own frame rate (capped by a uniform stride)."""
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ._utils import nonempty_pose, take_frames

__all__ = ['SignSampleFrames', 'StrideCapFrames']


@TRANSFORMS.register_module()
class SignSampleFrames(BaseTransform):
    """Sample ``num_clips`` clips of ``clip_len`` frames from a sign clip.

    The T frames are split into ``clip_len`` integer segments (segment ``i``
    is frames ``[i T // clip_len, (i + 1) T // clip_len)``):

    - training (``test_mode=False``), T >= clip_len: one random frame per
      segment (random segment sampling; distinct frames, in order);
    - testing, any T: the centre of every segment (clip ``j`` of
      ``num_clips`` takes offset ``(j + 0.5) / num_clips`` inside each
      segment; frame ``i T // clip_len`` when T < clip_len), so test clips
      are deterministic and use no random state;
    - training, T < clip_len: every frame once plus ``clip_len - T`` random
      repetitions, in temporal order.

    When T < clip_len both modes pad by repetition, keep every frame and keep
    the frame order (T = 1 repeats the frame). Clips are concatenated along
    time, as MMAction2's ``UniformSampleFrames`` does.

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2).
        - keypoint_score (np.ndarray): (M, T, V).

    Added Keys:

        - frame_inds (np.ndarray): (num_clips * clip_len,) int64.
        - clip_len (int)
        - num_clips (int)

    Modified Keys:

        - keypoint: (M, num_clips * clip_len, V, 2).
        - keypoint_score: (M, num_clips * clip_len, V).
        - total_frames: num_clips * clip_len.

    Args:
        clip_len (int): Frames per clip. Defaults to 32.
        test_mode (bool): Centre sampling instead of random sampling.
            Defaults to False.
        num_clips (int): Clips per sample. Defaults to 1.
    """

    def __init__(self,
                 clip_len: int = 32,
                 test_mode: bool = False,
                 num_clips: int = 1) -> None:
        if clip_len < 1 or num_clips < 1:
            raise ValueError('clip_len and num_clips must be >= 1, got '
                             f'{clip_len} and {num_clips}')
        self.clip_len = clip_len
        self.test_mode = test_mode
        self.num_clips = num_clips

    def _segments(self, num_frames: int) -> Tuple[np.ndarray, np.ndarray]:
        """First frame and length of the ``clip_len`` integer segments."""
        edges = np.arange(self.clip_len + 1) * num_frames // self.clip_len
        return edges[:-1], np.diff(edges)

    def _test_inds(self, num_frames: int) -> np.ndarray:
        """Segment centres, (num_clips, clip_len)."""
        start, size = self._segments(num_frames)
        offset = (np.arange(self.num_clips)[:, None] + 0.5) / self.num_clips
        return start + np.floor(offset * size).astype(np.int64)

    def _train_inds(self, num_frames: int) -> np.ndarray:
        """Random frames, (num_clips, clip_len), sorted per clip."""
        shape = (self.num_clips, self.clip_len)
        if num_frames >= self.clip_len:
            start, size = self._segments(num_frames)
            return start + np.floor(np.random.rand(*shape) * size).astype(
                np.int64)
        every = np.broadcast_to(
            np.arange(num_frames), (self.num_clips, num_frames))
        extra = np.random.randint(0, num_frames,
                                  (self.num_clips, self.clip_len - num_frames))
        return np.sort(np.concatenate([every, extra], axis=1), axis=1)

    def transform(self, results: Dict) -> Dict:
        """Sample the frames.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with the sampled frames.
        """
        keypoint, score = nonempty_pose(results, 'SignSampleFrames')
        num_frames = keypoint.shape[1]
        inds = (self._test_inds(num_frames)
                if self.test_mode else self._train_inds(num_frames)).ravel()
        return take_frames(results, keypoint, score, inds, self.clip_len,
                           self.num_clips)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'test_mode={self.test_mode}, num_clips={self.num_clips})')


@TRANSFORMS.register_module()
class StrideCapFrames(BaseTransform):
    """Keep a whole clip at its own frame rate, capped by a uniform stride.

    MASA pre-training's default sampling (the released code pre-trains on
    whole clips, padded per batch; the paper does not resample): a clip of
    T <= ``max_frames`` frames passes unchanged; a longer one keeps every
    s-th frame, ``s = ceil(T / max_frames)``, from an offset drawn in
    ``[0, s)`` (training) or 0 (``test_mode``), so at most ``max_frames``
    frames remain and the motion interval k keeps one meaning (k frames of
    the clip's own rate, or k strides) instead of depending on T as with
    fixed-length resampling.

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2).
        - keypoint_score (np.ndarray): (M, T, V).

    Added Keys:

        - frame_inds (np.ndarray): (T',) int64.
        - clip_len (int): T'.
        - num_clips (int): 1.

    Modified Keys:

        - keypoint: (M, T', V, 2).
        - keypoint_score: (M, T', V).
        - total_frames: T'.

    Args:
        max_frames (int): Cap on the kept frames. Defaults to 150 (the
            released code's pre-training cap).
        test_mode (bool): Offset 0 instead of a random offset.
            Defaults to False.
    """

    def __init__(self, max_frames: int = 150, test_mode: bool = False) -> None:
        if max_frames < 1:
            raise ValueError(f'max_frames must be >= 1, got {max_frames}')
        self.max_frames = max_frames
        self.test_mode = test_mode

    def frame_indices(self, num_frames: int) -> np.ndarray:
        """The kept frames of a clip of ``num_frames`` frames."""
        stride = -(-num_frames // self.max_frames)
        offset = 0 if self.test_mode else np.random.randint(stride)
        return np.arange(offset, num_frames, stride)[:self.max_frames]

    def transform(self, results: Dict) -> Dict:
        """Keep the frames.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with the kept frames.
        """
        keypoint, score = nonempty_pose(results, 'StrideCapFrames')
        inds = self.frame_indices(keypoint.shape[1])
        return take_frames(results, keypoint, score, inds, len(inds), 1)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(max_frames={self.max_frames}, '
                f'test_mode={self.test_mode})')
