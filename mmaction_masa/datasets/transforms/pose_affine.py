"""Random affine transforms of the whole sign pose and of each hand."""
from typing import Dict, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import BODY_SLICE, LEFT_HAND_SLICE, RIGHT_HAND_SLICE
from ._utils import check_range, check_sign_pose
from .part_normalize import HALF_BOX

__all__ = ['RandomPoseAffine', 'affine_matrix']

Range = Tuple[float, float]
#: A (2, 2) matrix and a (2,) translation.
Affine = Tuple[np.ndarray, np.ndarray]

#: Negates x: the frame of a left hand that PartNormalize mirrored.
FLIP_X = np.diag([-1.0, 1.0])


def affine_matrix(scale: float, rotation: float, shear_x: float,
                  shear_y: float) -> np.ndarray:
    """``scale * R(rotation) @ [[1, shear_x], [shear_y, 1]]``.

    Args:
        scale (float): Isotropic scale factor.
        rotation (float): Counter-clockwise angle in degrees (in x-right,
            y-up axes; clockwise on an image whose y points down).
        shear_x (float): x += shear_x * y.
        shear_y (float): y += shear_y * x.

    Returns:
        np.ndarray: (2, 2) float64.
    """
    theta = np.deg2rad(rotation)
    cos, sin = np.cos(theta), np.sin(theta)
    rotate = np.array([[cos, -sin], [sin, cos]])
    return scale * rotate @ np.array([[1.0, shear_x], [shear_y, 1.0]])


def _check_range(name: str,
                 value: Sequence[float],
                 positive: bool = False) -> Range:
    """:func:`check_range` of a RandomPoseAffine argument."""
    return check_range('RandomPoseAffine', name, value, positive)


@TRANSFORMS.register_module()
class RandomPoseAffine(BaseTransform):
    """Random scale, rotation, shear and translation of the whole pose and,
    separately, of each hand about its wrist (ours, the sign-recognition
    recipe).

    Meant after :class:`PartNormalize` (and :class:`SignSampleFrames`), on
    the [-128, 128] coordinates of each part's box, where the body and each
    hand have a frame of their own centred at 0. One draw per sample and
    per hand, used in every frame and for every person:

    1. Each hand: ``p' = H (p - w) + w + h`` with ``w`` the hand's wrist
       (hand joint 0) in that frame, or 0 when the wrist is missing there.
    2. The whole pose (body and both hands, each in its own frame):
       ``p'' = A p' + t``.

    ``A`` and ``H`` are :func:`affine_matrix` of a scale, a rotation (in
    degrees) and two shear factors, each drawn ``np.random.uniform(low,
    high)`` from its range; ``t`` and ``h`` are a translation (x then y) of
    the translation range. The draws use numpy's global RNG in this order:
    the whole pose's scale, rotation, shear x, shear y, translation x, y,
    then the same six for the left hand and for the right hand. A range
    (a, a) draws a, so ``(1, 1)`` scale and ``(0, 0)`` elsewhere disable a
    part of the transform.

    When :class:`PartNormalize` mirrored the left hand
    (``left_hand_mirrored=True``, its default ``mirror_left_hand``), the
    left hand's matrices and translations are conjugated by the mirror
    (``F M F``, ``F t`` with ``F = diag(-1, 1)``), so the whole pose turns
    one way on the image.

    Missing joints (score 0) keep their coordinates (0 after
    :class:`PartNormalize`) and their score. Present joints that the
    transform would carry out of the [-128, 128] box are **clipped** to it
    (the box of :class:`PartNormalize`); scores are unchanged.

    Required Keys:

        - keypoint (np.ndarray): (M, T, 49, 2), part-normalised.
        - keypoint_score (np.ndarray): (M, T, 49).

    Modified Keys:

        - keypoint: float32.

    Args:
        scale (tuple[float, float]): Whole-pose scale range, low > 0.
            Defaults to (0.85, 1.15).
        rotation (tuple[float, float]): Whole-pose rotation range in
            degrees. Defaults to (-15, 15).
        shear (tuple[float, float]): Whole-pose shear range (x and y drawn
            separately). Defaults to (-0.1, 0.1).
        translation (tuple[float, float]): Whole-pose translation range in
            box units (x and y drawn separately). Defaults to (-10, 10).
        hand_scale (tuple[float, float]): Per-hand scale range.
            Defaults to (0.9, 1.1).
        hand_rotation (tuple[float, float]): Per-hand rotation range in
            degrees. Defaults to (-15, 15).
        hand_shear (tuple[float, float]): Per-hand shear range.
            Defaults to (-0.1, 0.1).
        hand_translation (tuple[float, float]): Per-hand translation
            range. Defaults to (0, 0).
        left_hand_mirrored (bool): Whether the left hand's x was negated
            by :class:`PartNormalize`. Defaults to True.
        prob (float): Probability of transforming a sample.
            Defaults to 1.0.
    """

    def __init__(self,
                 scale: Range = (0.85, 1.15),
                 rotation: Range = (-15.0, 15.0),
                 shear: Range = (-0.1, 0.1),
                 translation: Range = (-10.0, 10.0),
                 hand_scale: Range = (0.9, 1.1),
                 hand_rotation: Range = (-15.0, 15.0),
                 hand_shear: Range = (-0.1, 0.1),
                 hand_translation: Range = (0.0, 0.0),
                 left_hand_mirrored: bool = True,
                 prob: float = 1.0) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.whole = (_check_range('scale', scale, positive=True),
                      _check_range('rotation',
                                   rotation), _check_range('shear', shear),
                      _check_range('translation', translation))
        self.hand = (_check_range('hand_scale', hand_scale, positive=True),
                     _check_range('hand_rotation', hand_rotation),
                     _check_range('hand_shear', hand_shear),
                     _check_range('hand_translation', hand_translation))
        self.left_hand_mirrored = left_hand_mirrored
        self.prob = prob

    @staticmethod
    def _draw(ranges: Tuple[Range, ...]) -> Affine:
        """Draw one (matrix, translation) from (scale, rotation, shear,
        translation) ranges."""
        scale, rotation, shear, shift = ranges
        matrix = affine_matrix(
            np.random.uniform(*scale), np.random.uniform(*rotation),
            np.random.uniform(*shear), np.random.uniform(*shear))
        offset = np.array(
            [np.random.uniform(*shift),
             np.random.uniform(*shift)])
        return matrix, offset

    def transform(self, results: Dict) -> Dict:
        """Transform the pose (or leave it, with probability 1 - prob).

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with transformed keypoints.
        """
        keypoint, score = check_sign_pose(results, 'RandomPoseAffine')
        if self.prob < 1 and np.random.rand() >= self.prob:
            results['keypoint'] = keypoint
            return results
        whole = self._draw(self.whole)
        hands = (self._draw(self.hand), self._draw(self.hand))
        out = keypoint.astype(np.float64)
        out[:, :, BODY_SLICE] = _apply(out[:, :, BODY_SLICE], whole)
        for part, hand in zip((LEFT_HAND_SLICE, RIGHT_HAND_SLICE), hands):
            part_whole = whole
            if part == LEFT_HAND_SLICE and self.left_hand_mirrored:
                hand, part_whole = _mirrored(hand), _mirrored(whole)
            joints = _about_wrist(out[:, :, part], score[:, :, part.start],
                                  hand)
            out[:, :, part] = _apply(joints, part_whole)
        out = np.clip(out, -HALF_BOX, HALF_BOX)
        present = score[..., None] > 0
        results['keypoint'] = np.where(present, out,
                                       keypoint).astype(np.float32)
        return results

    def __repr__(self) -> str:
        names = ('scale', 'rotation', 'shear', 'translation')
        args = [f'{n}={r}' for n, r in zip(names, self.whole)]
        args += [f'hand_{n}={r}' for n, r in zip(names, self.hand)]
        args += [
            f'left_hand_mirrored={self.left_hand_mirrored}',
            f'prob={self.prob}'
        ]
        return f'{self.__class__.__name__}({", ".join(args)})'


def _apply(joints: np.ndarray, affine: Affine) -> np.ndarray:
    """``matrix p + offset`` for (..., 2) joints."""
    matrix, offset = affine
    return joints @ matrix.T + offset


def _mirrored(affine: Affine) -> Affine:
    """The affine map seen in x-mirrored axes: ``(F M F, F t)``."""
    matrix, offset = affine
    return FLIP_X @ matrix @ FLIP_X, FLIP_X @ offset


def _about_wrist(hand: np.ndarray, wrist_score: np.ndarray,
                 affine: Affine) -> np.ndarray:
    """``matrix (p - w) + w + offset`` for the (M, T, 21, 2) joints of one
    hand, ``w`` = the wrist (joint 0) where present (score > 0), else 0."""
    pivot = np.where(wrist_score[..., None] > 0, hand[:, :, 0], 0.0)
    pivot = pivot[:, :, None]
    return _apply(hand - pivot, affine) + pivot
