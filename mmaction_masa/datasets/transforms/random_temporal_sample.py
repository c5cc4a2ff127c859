"""The second view of MASA's semantic alignment (Eq. 5)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ._utils import check_pose, round_half_up, sample_name

__all__ = ['RandomTemporalSample']


@TRANSFORMS.register_module()
class RandomTemporalSample(BaseTransform):
    """The second view of MASA's semantic alignment (Eq. 5).

    Keeps ``max(1, round((1 - drop_ratio) * L))`` random frames of every
    clip of L frames (halves round up), in temporal order; the kept frames
    are distinct. The input clip is left unchanged.

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2), T = num_clips * L.
        - keypoint_score (np.ndarray): (M, T, V).
        - num_clips (int, optional): defaults to 1.

    Added Keys:

        - view2_keypoint (np.ndarray): (M, num_clips * L2, V, 2) float32.
        - view2_keypoint_score (np.ndarray): (M, num_clips * L2, V) float32.

    Args:
        drop_ratio (float): The fraction alpha_r of frames dropped, in
            [0, 1]. Defaults to 0.5 (paper).
    """

    def __init__(self, drop_ratio: float = 0.5) -> None:
        if not 0 <= drop_ratio <= 1:
            raise ValueError(f'drop_ratio must be in [0, 1], got {drop_ratio}')
        self.drop_ratio = drop_ratio

    def transform(self, results: Dict) -> Dict:
        """Sample the second view.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with ``view2_keypoint(_score)``.
        """
        keypoint, score = check_pose(results, 'RandomTemporalSample')
        num_clips = results.get('num_clips', 1)
        num_frames = keypoint.shape[1]
        if num_frames == 0 or num_frames % num_clips:
            raise ValueError(
                f'RandomTemporalSample: sample {sample_name(results)!r} '
                f"field 'keypoint' has {num_frames} frames, not a positive "
                f'multiple of num_clips={num_clips}')
        clip_len = num_frames // num_clips
        keep = max(1, round_half_up((1 - self.drop_ratio) * clip_len))
        order = np.argsort(np.random.rand(num_clips, clip_len), axis=1)
        inds = np.sort(order[:, :keep], axis=1)
        inds = (inds + clip_len * np.arange(num_clips)[:, None]).ravel()
        results['view2_keypoint'] = keypoint[:, inds]
        results['view2_keypoint_score'] = score[:, inds]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(drop_ratio={self.drop_ratio})'
