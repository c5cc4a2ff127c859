"""Part-wise normalisation of sign poses into the [-128, 128] box."""
from typing import Dict, Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import BODY_INDEX, BODY_SLICE, LEFT_HAND_SLICE, PART_SLICES
from ._utils import check_sign_pose, require

__all__ = ['PartNormalize', 'BOX_SIZE', 'HALF_BOX']

BODY_BOXES = ('clip', 'image')

#: Side of the normalised square box; coordinates end in [-HALF, HALF].
BOX_SIZE = 256.0
HALF_BOX = BOX_SIZE / 2
#: Fallback hand box from the arm (released MASA code): centre =
#: wrist + ARM_OFFSET * (wrist - elbow), side = ARM_SCALE *
#: max(|wrist - elbow|, UPPER_ARM_FACTOR * |elbow - shoulder|).
ARM_OFFSET = 0.33
ARM_SCALE = 1.1
UPPER_ARM_FACTOR = 0.9


def joint_box(xy: np.ndarray,
              ok: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Axis-aligned box of the selected joints.

    Args:
        xy (np.ndarray): (..., N, 2) coordinates.
        ok (np.ndarray): (..., N) bool, the joints that define the box.

    Returns:
        tuple: centre (..., 2), extent (...) = the larger side of the
        box, and the number of selected joints (...). Centre and extent are
        0 where no joint is selected.
    """
    has = ok.any(-1)[..., None]
    low = np.where(ok[..., None], xy, np.inf).min(-2)
    high = np.where(ok[..., None], xy, -np.inf).max(-2)
    low, high = np.where(has, low, 0), np.where(has, high, 0)
    return (low + high) / 2, (high - low).max(-1), ok.sum(-1)


def to_box(xy: np.ndarray, centre: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Map coordinates of a square box (centre, side) onto [-128, 128].

    ``centre`` (..., 2) and ``size`` (...) broadcast against the leading
    dimensions of ``xy`` (..., N, 2); a side of 0 (no box) yields 0-centred
    garbage that the caller masks out.
    """
    safe = np.where(size > 0, size, 1.0)
    return (xy - centre[..., None, :]) / safe[..., None, None] * BOX_SIZE


@TRANSFORMS.register_module()
class PartNormalize(BaseTransform):
    """Normalise both hands and the upper body separately into [-128, 128].

    As MASA crops hand and body regions (Sec. III-A), every part is centred
    and scaled by a square box of its own, then mapped onto a 256 box
    centred at 0 (the "[-128, 128]" of the paper, Sec. IV-D):

    - **Hands, per frame**: the box around the hand's box joints (score >
      ``box_score_thr``), enlarged ``hand_scale`` times, when at least
      ``min_hand_joints`` of them exist; otherwise the arm box of the released
      MASA code from the same side's confident elbow and wrist: centre
      ``wrist + 0.33 (wrist - elbow)``, side ``1.1 max(|wrist - elbow|,
      0.9 |elbow - shoulder|)`` (the shoulder term only when the shoulder is
      confident). A hand that has neither box in a frame is missing there
      (coordinates 0, score 0); the released code drops such frames, which
      would break the clip's time axis.
    - **Upper body, per clip** (``body_box='clip'``, ours): the box around
      the body box joints of all frames of the person, enlarged
      ``body_scale`` times, so body motion is kept. If no body joint is
      confident (or they all coincide) the image (``img_shape``, centre of
      the frame, side ``max(h, w)``) is the box. ``body_box='image'`` is the
      released code's: x / w and y / h (``img_shape``), times 256, centred
      (the units of the paper's test-time noise sigma and epsilon_m).

    Low-confidence joints (the released code, the paper is silent): after
    the boxes are computed, joints with score < ``conf_thr`` get
    coordinates 0 and score 0 (so the embedding never sees them); None
    keeps them.

    Joints with score <= ``score_thr``, and joints with a NaN or infinite
    coordinate or score (treated as missing), end with coordinates exactly 0
    and score 0, and never define a box (box joints also need score >
    ``box_score_thr``). Coordinates outside a box are clipped to
    [-128, 128]. With ``mirror_left_hand`` the left hand's x is negated so a
    shared hand network always sees right hands. Boxes only depend on the
    joints, so pixel coordinates and [0, 1] coordinates (``img_shape=(1,
    1)``) give the same output.

    Required Keys:

        - keypoint (np.ndarray): (M, T, 49, 2), after
          :class:`SelectSignJoints`.
        - keypoint_score (np.ndarray): (M, T, 49).
        - img_shape (tuple[int, int]): (h, w), in the keypoints' unit; only
          read when a person has no confident body joint (image fallback).

    Modified Keys:

        - keypoint: (M, T, 49, 2) float32 in [-128, 128].
        - keypoint_score: (M, T, 49) float32, 0 for removed joints.

    Args:
        hand_scale (float): Hand box side / extent of the hand joints.
            Defaults to 2.2 (released code).
        body_scale (float): Body box side / extent of the body joints over
            the clip. Defaults to 1.2.
        min_hand_joints (int): Box joints a hand needs for its own box.
            Defaults to 10 (released code).
        mirror_left_hand (bool): Negate the left hand's x. Defaults to True.
        score_thr (float): Joints with score <= this are removed.
            Defaults to 0.0.
        box_score_thr (float): Joints with score <= this do not define a
            box. Defaults to 0.1 (released code).
        body_box (str): ``'clip'`` or ``'image'``. Defaults to 'clip'.
        conf_thr (float, optional): Joints with score below this are zeroed
            after boxing. Defaults to 0.4 (epsilon_c).
    """

    def __init__(self,
                 hand_scale: float = 2.2,
                 body_scale: float = 1.2,
                 min_hand_joints: int = 10,
                 mirror_left_hand: bool = True,
                 score_thr: float = 0.0,
                 box_score_thr: float = 0.1,
                 body_box: str = 'clip',
                 conf_thr: Optional[float] = 0.4) -> None:
        if body_box not in BODY_BOXES:
            raise ValueError(
                f'body_box must be one of {BODY_BOXES}, got {body_box!r}')
        if hand_scale <= 0 or body_scale <= 0:
            raise ValueError('hand_scale and body_scale must be positive, '
                             f'got {hand_scale} and {body_scale}')
        if min_hand_joints < 1:
            raise ValueError(
                f'min_hand_joints must be >= 1, got {min_hand_joints}')
        self.hand_scale = hand_scale
        self.body_scale = body_scale
        self.min_hand_joints = min_hand_joints
        self.mirror_left_hand = mirror_left_hand
        self.score_thr = score_thr
        self.box_score_thr = box_score_thr
        self.body_box = body_box
        self.conf_thr = conf_thr

    def _arm_box(self, keypoint: np.ndarray, box_ok: np.ndarray,
                 side: str) -> Tuple[np.ndarray, np.ndarray]:
        """Fallback hand box (M, T) from one side's elbow and wrist."""
        shoulder, elbow, wrist = (
            BODY_INDEX[f'{side}_{joint}']
            for joint in ('shoulder', 'elbow', 'wrist'))
        forearm = keypoint[:, :, wrist] - keypoint[:, :, elbow]
        upper_arm = np.linalg.norm(
            keypoint[:, :, elbow] - keypoint[:, :, shoulder], axis=-1)
        upper_arm = np.where(box_ok[:, :, shoulder], upper_arm, 0)
        size = ARM_SCALE * np.maximum(
            np.linalg.norm(forearm, axis=-1), UPPER_ARM_FACTOR * upper_arm)
        arm_ok = box_ok[:, :, wrist] & box_ok[:, :, elbow]
        centre = keypoint[:, :, wrist] + ARM_OFFSET * forearm
        return centre, np.where(arm_ok, size, 0)

    def _hand_box(self, keypoint: np.ndarray, box_ok: np.ndarray,
                  side: str) -> Tuple[np.ndarray, np.ndarray]:
        """Per-frame hand box: centre (M, T, 2) and side (M, T), 0 = none."""
        part = PART_SLICES[f'{side}_hand']
        centre, extent, count = joint_box(keypoint[:, :, part], box_ok[:, :,
                                                                       part])
        size = self.hand_scale * extent
        own = (count >= self.min_hand_joints) & (size > 0)
        arm_centre, arm_size = self._arm_box(keypoint, box_ok, side)
        return (np.where(own[..., None], centre,
                         arm_centre), np.where(own, size, arm_size))

    def _body_box(self, keypoint: np.ndarray, box_ok: np.ndarray,
                  results: Dict) -> Tuple[np.ndarray, np.ndarray]:
        """Per-clip body box: centre (M, 2) and side (M,)."""
        num_person = keypoint.shape[0]
        body = keypoint[:, :, BODY_SLICE].reshape(num_person, -1, 2)
        centre, extent, _ = joint_box(
            body, box_ok[:, :, BODY_SLICE].reshape(num_person, -1))
        size = self.body_scale * extent
        own = size > 0
        if own.all():
            return centre, size
        # Only the image fallback needs the frame size.
        height, width = require(results, 'img_shape', 'PartNormalize')[:2]
        image_centre = np.array([width / 2, height / 2], dtype=np.float64)
        return (np.where(own[:, None], centre, image_centre),
                np.where(own, size, float(max(height, width))))

    def _normalise_body(self, keypoint: np.ndarray, box_ok: np.ndarray,
                        results: Dict) -> np.ndarray:
        """Body joints (M, T, 7, 2) in the 256 box of ``body_box``."""
        body = keypoint[:, :, BODY_SLICE]
        if self.body_box == 'image':
            height, width = require(results, 'img_shape', 'PartNormalize')[:2]
            image = np.array([width, height], dtype=np.float64)
            return (body / image - 0.5) * BOX_SIZE
        centre, size = self._body_box(keypoint, box_ok, results)
        return to_box(body, centre[:, None], size[:, None])

    def transform(self, results: Dict) -> Dict:
        """Normalise hands and body.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with normalised coordinates.
        """
        keypoint, score = check_sign_pose(results, 'PartNormalize')
        finite = np.isfinite(keypoint).all(-1) & np.isfinite(score)
        keypoint = np.where(finite[..., None], keypoint, 0).astype(np.float64)
        keep = finite & (score > self.score_thr)
        box_ok = keep & (score > self.box_score_thr)
        out = np.zeros_like(keypoint)
        out[:, :, BODY_SLICE] = self._normalise_body(keypoint, box_ok, results)
        for side in ('left', 'right'):  # the two parts, not joints
            part = PART_SLICES[f'{side}_hand']
            centre, size = self._hand_box(keypoint, box_ok, side)
            out[:, :, part] = to_box(keypoint[:, :, part], centre, size)
            keep[:, :, part] &= (size > 0)[..., None]
        if self.mirror_left_hand:
            out[:, :, LEFT_HAND_SLICE, 0] *= -1
        if self.conf_thr is not None:
            keep &= score >= self.conf_thr
        out = np.where(keep[..., None], np.clip(out, -HALF_BOX, HALF_BOX), 0)
        results['keypoint'] = out.astype(np.float32)
        results['keypoint_score'] = np.where(keep, score, 0).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(hand_scale={self.hand_scale}, '
                f'body_scale={self.body_scale}, '
                f'min_hand_joints={self.min_hand_joints}, '
                f'mirror_left_hand={self.mirror_left_hand}, '
                f'score_thr={self.score_thr}, '
                f'box_score_thr={self.box_score_thr}, '
                f"body_box='{self.body_box}', conf_thr={self.conf_thr})")
