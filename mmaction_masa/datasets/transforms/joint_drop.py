"""Random loss of fingers, hands or the body, as MediaPipe loses them."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import (BODY_SLICE, LEFT_HAND_SLICE, NUM_JOINTS,
                            RIGHT_HAND_SLICE)
from ._utils import check_sign_pose

__all__ = ['RandomJointDrop', 'DROP_GROUPS']

#: Hand-local joints of the five fingers (thumb .. little), 4 each.
FINGERS = tuple(range(1 + 4 * f, 5 + 4 * f) for f in range(5))


def _drop_groups() -> np.ndarray:
    """(13, 49) bool: the 10 fingers (left thumb .. right little), the left
    hand, the right hand and the body."""
    groups = np.zeros((13, NUM_JOINTS), dtype=bool)
    for h, hand in enumerate((LEFT_HAND_SLICE, RIGHT_HAND_SLICE)):
        for f, finger in enumerate(FINGERS):
            groups[5 * h + f, [hand.start + j for j in finger]] = True
        groups[10 + h, hand] = True
    groups[12, BODY_SLICE] = True
    return groups


#: The joint groups :class:`RandomJointDrop` removes, see
#: :func:`_drop_groups`.
DROP_GROUPS = _drop_groups()


@TRANSFORMS.register_module()
class RandomJointDrop(BaseTransform):
    """Remove fingers, hands or the body joints of some frames or of the
    whole clip (ours, the sign-recognition recipe).

    MediaPipe loses a hand for a run of frames, a finger it cannot see, or
    the body when only the hands were stored; a removed joint is what it
    writes then: coordinates 0 and score 0. Each of the 13 groups of
    :data:`DROP_GROUPS` (10 fingers, 2 hands, the body) is removed with its
    probability (``finger_prob``, ``hand_prob``, ``body_prob``); a removed
    group is gone from the whole clip with probability ``clip_prob``, else
    from a run of ``randint(1, max(1, round(max_span T)) + 1)`` consecutive
    frames starting at a uniform frame (cut at the clip's end). The same
    frames of every person. Numpy's global RNG, drawn in this order: 13
    uniforms (removed?), 13 uniforms (whole clip?), 13 run lengths, 13 run
    starts (``randint(0, T)``).

    Apply it before :class:`PartNormalize` (a removed hand then takes the
    arm box, as a hand MediaPipe lost does); after it works too (removed
    joints are 0, like the missing joints it writes).

    Required Keys:

        - keypoint (np.ndarray): (M, T, 49, 2).
        - keypoint_score (np.ndarray): (M, T, 49).

    Modified Keys:

        - keypoint: float32, 0 for removed joints.
        - keypoint_score: float32, 0 for removed joints.

    Args:
        finger_prob (float): Probability of removing each finger.
            Defaults to 0.05.
        hand_prob (float): Probability of removing each hand.
            Defaults to 0.1.
        body_prob (float): Probability of removing the body joints.
            Defaults to 0.05.
        clip_prob (float): Probability that a removal covers the whole
            clip rather than a run of frames. Defaults to 0.2.
        max_span (float): Longest run, as a fraction of the clip, in
            (0, 1]. Defaults to 0.5.
    """

    def __init__(self,
                 finger_prob: float = 0.05,
                 hand_prob: float = 0.1,
                 body_prob: float = 0.05,
                 clip_prob: float = 0.2,
                 max_span: float = 0.5) -> None:
        for name, value in dict(
                finger_prob=finger_prob,
                hand_prob=hand_prob,
                body_prob=body_prob,
                clip_prob=clip_prob).items():
            if not 0 <= value <= 1:
                raise ValueError(f'{name} must be in [0, 1], got {value}')
        if not 0 < max_span <= 1:
            raise ValueError(f'max_span must be in (0, 1], got {max_span}')
        self.probs = np.array([finger_prob] * 10 + [hand_prob] * 2 +
                              [body_prob])
        self.finger_prob, self.hand_prob = finger_prob, hand_prob
        self.body_prob, self.clip_prob = body_prob, clip_prob
        self.max_span = max_span

    def dropped_frames(self, num_frames: int) -> np.ndarray:
        """Draw which frames lose each group.

        Args:
            num_frames (int): T.

        Returns:
            np.ndarray: (13, T) bool, True = the group is removed there.
        """
        removed = np.random.rand(13) < self.probs
        whole = np.random.rand(13) < self.clip_prob
        longest = max(1, int(np.floor(self.max_span * num_frames + 0.5)))
        length = np.random.randint(1, longest + 1, size=13)
        start = np.random.randint(0, num_frames, size=13)
        frame = np.arange(num_frames)
        in_run = (frame >= start[:, None]) & (
            frame < (start + length)[:, None])
        return removed[:, None] & (whole[:, None] | in_run)

    def transform(self, results: Dict) -> Dict:
        """Remove the drawn groups.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample, removed joints at 0 with score 0.
        """
        keypoint, score = check_sign_pose(results, 'RandomJointDrop')
        frames = self.dropped_frames(keypoint.shape[1])
        # (T, 49): a joint is removed where any of its groups is.
        drop = (frames[:, :, None] & DROP_GROUPS[:, None]).any(0)
        results['keypoint'] = np.where(drop[None, ..., None], 0,
                                       keypoint).astype(np.float32)
        results['keypoint_score'] = np.where(drop[None], 0,
                                             score).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(finger_prob={self.finger_prob}, '
                f'hand_prob={self.hand_prob}, body_prob={self.body_prob}, '
                f'clip_prob={self.clip_prob}, max_span={self.max_span})')
