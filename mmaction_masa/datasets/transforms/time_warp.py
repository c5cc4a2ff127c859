"""Random temporal resampling of sign clips (speed augmentation)."""
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ._utils import check_range, nonempty_pose, round_half_up, sample_name

__all__ = ['RandomTimeWarp', 'resample_pose']

#: Fractions closer than this to a frame are that frame.
EXACT = 1e-6


def resample_pose(keypoint: np.ndarray, score: np.ndarray,
                  times: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Linearly interpolate a pose at fractional frame ``times``.

    At time ``s`` between frames ``i = floor(s)`` and ``i + 1`` (weight
    ``f = s - i``) a joint is ``(1 - f) x_i + f x_(i+1)`` with score
    ``(1 - f) c_i + f c_(i+1)`` when it is present (score > 0) at both; a
    joint missing at either neighbour is missing (coordinates 0, score 0),
    never invented. A time on a frame (``f`` = 0 up to 1e-6) is that
    frame, missing or not.

    Args:
        keypoint (np.ndarray): (M, T, V, 2).
        score (np.ndarray): (M, T, V).
        times (np.ndarray): (T',) frame times in [0, T - 1].

    Returns:
        tuple[np.ndarray, np.ndarray]: keypoint (M, T', V, 2) and score
        (M, T', V), float32.
    """
    last = keypoint.shape[1] - 1
    low = np.clip(np.floor(times + EXACT).astype(np.int64), 0, last)
    frac = np.clip(times - low, 0.0, 1.0)
    frac = np.where(frac < EXACT, 0.0, frac)
    high = np.minimum(low + 1, last)
    on_frame = (frac == 0)[None, :, None]
    present = (score[:, low] > 0) & ((score[:, high] > 0) | on_frame)
    weight = frac[None, :, None]
    new_score = (1 - weight) * score[:, low] + weight * score[:, high]
    weight = weight[..., None]
    new_kp = (1 - weight) * keypoint[:, low] + weight * keypoint[:, high]
    new_kp = np.where(present[..., None], new_kp, 0)
    new_score = np.where(present, new_score, 0)
    return new_kp.astype(np.float32), new_score.astype(np.float32)


@TRANSFORMS.register_module()
class RandomTimeWarp(BaseTransform):
    """Play a clip at a random speed (ours, the sign-recognition recipe).

    A speed ``v`` is drawn ``np.random.uniform(*speed)`` (numpy's global
    RNG); the clip of ``T`` frames becomes ``T' = max(1, round(T / v))``
    frames (halves round up) at the times ``j (T - 1) / (T' - 1)``, ``j =
    0 .. T' - 1``, so the first and last frames stay, interpolated by
    :func:`resample_pose` (a joint missing at either neighbouring frame is
    missing, not invented). ``v > 1`` is faster (fewer frames). Apply it
    before :class:`SignSampleFrames` (it needs the whole clip; a sampled
    clip with ``frame_inds`` is refused).

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2).
        - keypoint_score (np.ndarray): (M, T, V).

    Modified Keys:

        - keypoint: (M, T', V, 2) float32.
        - keypoint_score: (M, T', V) float32.
        - total_frames: T'.

    Args:
        speed (tuple[float, float]): Range of the speed factor, 0 < low <=
            high. Defaults to (0.7, 1.3).
        prob (float): Probability of warping a clip. Defaults to 1.0.
    """

    def __init__(self,
                 speed: Tuple[float, float] = (0.7, 1.3),
                 prob: float = 1.0) -> None:
        self.speed = check_range('RandomTimeWarp', 'speed', speed, True)
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob

    def transform(self, results: Dict) -> Dict:
        """Resample the clip (or leave it, with probability 1 - prob).

        Args:
            results (dict): The sample.

        Returns:
            dict: The resampled sample.
        """
        if 'frame_inds' in results:
            raise ValueError(
                f'RandomTimeWarp: sample {sample_name(results)!r} already '
                "has 'frame_inds'; apply RandomTimeWarp before "
                'SignSampleFrames')
        keypoint, score = nonempty_pose(results, 'RandomTimeWarp')
        if self.prob < 1 and np.random.rand() >= self.prob:
            return results
        speed = np.random.uniform(*self.speed)
        num_frames = keypoint.shape[1]
        new_len = max(1, round_half_up(num_frames / speed))
        times = (
            np.arange(new_len) * (num_frames - 1) /
            (new_len - 1) if new_len > 1 else np.zeros(1))
        keypoint, score = resample_pose(keypoint, score, times)
        results['keypoint'], results['keypoint_score'] = keypoint, score
        results['total_frames'] = new_len
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(speed={self.speed}, '
                f'prob={self.prob})')
