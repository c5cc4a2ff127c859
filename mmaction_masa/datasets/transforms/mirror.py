"""Random left/right mirroring of sign poses (handedness augmentation)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import MIRROR_INDEX
from ._utils import check_sign_pose, require

__all__ = ['RandomMirror']


@TRANSFORMS.register_module()
class RandomMirror(BaseTransform):
    """Mirror a sign pose left/right with probability ``prob``.

    Signers differ in handedness and some webcam recordings are mirrored,
    so the dominant hand of the same sign can be either hand. A mirrored
    sample has ``x' = w - x`` (``w`` = ``img_shape[1]``, in the keypoints'
    unit) and the left and right joints exchanged
    (:data:`~mmaction_masa.sign_layout.MIRROR_INDEX`: the hands and the
    shoulders, elbows and wrists), so a left-handed signer looks like a
    right-handed one and vice versa. Missing joints (score 0) keep their
    coordinates. The released MASA code swaps the hands at random in
    fine-tuning (except on WLASL); here the whole pose is mirrored, which
    keeps each hand attached to its arm. Apply it before
    :class:`PartNormalize`, on the 49 sign joints. The draw uses the global
    numpy RNG.

    Required Keys:

        - keypoint (np.ndarray): (M, T, 49, 2), image coordinates.
        - keypoint_score (np.ndarray): (M, T, 49).
        - img_shape (tuple[int, int]): (h, w).

    Modified Keys:

        - keypoint
        - keypoint_score

    Added Keys:

        - mirrored (bool)

    Args:
        prob (float): Probability of mirroring, in [0, 1].
            Defaults to 0.5.
    """

    def __init__(self, prob: float = 0.5) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob

    def transform(self, results: Dict) -> Dict:
        """Mirror the sample or leave it.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample, with ``mirrored``.
        """
        keypoint, score = check_sign_pose(results, 'RandomMirror')
        mirrored = bool(np.random.rand() < self.prob)
        results['mirrored'] = mirrored
        if not mirrored:
            return results
        width = float(require(results, 'img_shape', 'RandomMirror')[1])
        index = list(MIRROR_INDEX)
        keypoint, score = keypoint[:, :, index].copy(), score[:, :, index]
        present = score > 0
        keypoint[..., 0] = np.where(present, width - keypoint[..., 0],
                                    keypoint[..., 0])
        results['keypoint'] = keypoint
        results['keypoint_score'] = score.copy()
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(prob={self.prob})'
