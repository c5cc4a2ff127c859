"""Left/right mirroring of sign poses: random (handedness augmentation)
and as extra test clips (mirror test-time augmentation)."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import BODY_SLICE, MIRROR_INDEX, PART_SLICES
from ._utils import check_sign_pose, require, sample_name

__all__ = ['RandomMirror', 'MirrorTestViews']


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


@TRANSFORMS.register_module()
class MirrorTestViews(BaseTransform):
    """Add the mirrored copy of every test clip as more clips (mirror
    test-time augmentation, ours; the head averages all clips, MMAction2's
    ``average_clips``).

    Runs on part-normalised poses, after :class:`PartNormalize` and
    :class:`SignSampleFrames`. Mirroring the image before normalising is
    the same as, after it: the left and right joints exchanged
    (:data:`~mmaction_masa.sign_layout.MIRROR_INDEX`), the body's x negated
    (its box is symmetric about its centre, 0), and the hands' x negated
    unless :class:`PartNormalize` mirrors the left hand
    (``left_hand_mirrored=True``, its default), in which case the hands only
    change places (each was already seen as a right hand). Missing joints
    stay at 0 with score 0. The ``num_clips`` clips of ``clip_len`` frames
    become ``2 * num_clips``: the original ones, then their mirrored copies.

    Required Keys:

        - keypoint (np.ndarray): (M, num_clips * clip_len, 49, 2),
          part-normalised.
        - keypoint_score (np.ndarray): (M, num_clips * clip_len, 49).
        - num_clips (int)

    Modified Keys:

        - keypoint: (M, 2 * num_clips * clip_len, 49, 2) float32.
        - keypoint_score: (M, 2 * num_clips * clip_len, 49) float32.
        - num_clips: doubled.
        - total_frames: doubled.

    Args:
        left_hand_mirrored (bool): Whether :class:`PartNormalize` negated
            the left hand's x. Defaults to True.
    """

    def __init__(self, left_hand_mirrored: bool = True) -> None:
        self.left_hand_mirrored = left_hand_mirrored

    def transform(self, results: Dict) -> Dict:
        """Append the mirrored clips.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with twice the clips.
        """
        keypoint, score = check_sign_pose(results, 'MirrorTestViews')
        if 'num_clips' not in results:
            raise KeyError(f'MirrorTestViews: sample {sample_name(results)!r} '
                           "has no 'num_clips'; apply it after "
                           'SignSampleFrames')
        index = list(MIRROR_INDEX)
        flipped, flipped_score = keypoint[:, :, index], score[:, :, index]
        sign = np.ones(flipped.shape[2], np.float32)
        sign[BODY_SLICE] = -1
        if not self.left_hand_mirrored:
            sign[PART_SLICES['left_hand']] = -1
            sign[PART_SLICES['right_hand']] = -1
        flipped[..., 0] *= sign
        flipped = np.where(flipped_score[..., None] > 0, flipped, 0)
        results['keypoint'] = np.concatenate([keypoint, flipped], 1)
        results['keypoint_score'] = np.concatenate([score, flipped_score], 1)
        results['num_clips'] = 2 * results['num_clips']
        results['total_frames'] = results['keypoint'].shape[1]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'left_hand_mirrored={self.left_hand_mirrored})')
