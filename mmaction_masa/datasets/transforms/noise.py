"""Gaussian keypoint noise for the input-quality study (Table XIII)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ._utils import check_pose

__all__ = ['PoseGaussianNoise']


@TRANSFORMS.register_module()
class PoseGaussianNoise(BaseTransform):
    """Add ``N(0, 1) * sigma`` to the coordinates of present joints.

    Meant after :class:`PartNormalize`, so ``sigma`` is in the [-128, 128]
    coordinates of the paper (Sec. IV-D, Table XIII). Missing joints (score
    0) stay at exactly 0. Noise is drawn with the global numpy RNG; the
    coordinates are not clipped.

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2).
        - keypoint_score (np.ndarray): (M, T, V).

    Modified Keys:

        - keypoint: float32.

    Args:
        sigma (float): Noise standard deviation, >= 0. Defaults to 0.0
            (no noise).
    """

    def __init__(self, sigma: float = 0.0) -> None:
        if sigma < 0:
            raise ValueError(f'sigma must be >= 0, got {sigma}')
        self.sigma = sigma

    def transform(self, results: Dict) -> Dict:
        """Add the noise.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with noisy keypoints.
        """
        keypoint, score = check_pose(results, 'PoseGaussianNoise')
        if self.sigma > 0:
            noise = np.random.standard_normal(keypoint.shape) * self.sigma
            keypoint = np.where(score[..., None] > 0, keypoint + noise,
                                keypoint).astype(np.float32)
        results['keypoint'] = keypoint
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(sigma={self.sigma})'
