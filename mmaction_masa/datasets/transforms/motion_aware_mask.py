"""MASA's motion-aware masked strategy (Algorithm 1)."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import JOINT_TOKEN_PART, TOKEN_PARTS
from ._utils import check_pose, round_half_up, sample_name

__all__ = [
    'MotionAwareMask', 'truncated_confidence', 'motion_statistics',
    'motion_ratio', 'motion_count'
]

STRATEGIES = ('motion', 'random')
CANDIDATE_RULES = ('ratio', 'count')
#: (V, 3) 0/1: the token part (right hand, left hand, body) of each joint.
PART_MEMBERSHIP = np.eye(len(TOKEN_PARTS))[list(JOINT_TOKEN_PART)]


def truncated_confidence(score: np.ndarray, conf_thr: float) -> np.ndarray:
    """``c = r * 1[r >= conf_thr]`` as float32, same shape as ``score``."""
    return np.where(score >= conf_thr, score, 0).astype(np.float32)


def motion_statistics(
        keypoint: np.ndarray,
        score: np.ndarray,
        interval: int,
        conf_thr: float,
        motion_thr: float,
        count_missing: bool = True
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Motion residuals, their confidence weights and the motion ratios.

    For a sequence of T frames and k = ``interval``:
    ``m_i = x_{i+k} - x_i`` for ``i < T - k`` (0 after),
    ``c_i = r_i * 1[r_i >= conf_thr]``, ``w_i = c_i * c_{i+k}`` (0 after)
    and, per frame, ``p_i = #(|m_i| * w_i >= motion_thr) / #(|m_i| * w_i >=
    0)`` over the V x 2 coordinate entries of the frame (the ratio counts
    coordinates, not joints; ``p_i = 0`` for ``i >= T - k``). With
    ``count_missing=False`` the denominator counts only the coordinates of
    joints with ``w_i > 0`` (present and confident in both frames), so
    undetected joints (e.g. a MediaPipe hand reported as zeros with score
    0) do not count against the frame.

    Args:
        keypoint (np.ndarray): (T, V, 2) coordinates x.
        score (np.ndarray): (T, V) confidences r.
        interval (int): k.
        conf_thr (float): epsilon_c.
        motion_thr (float): epsilon_m.
        count_missing (bool): Count every coordinate in the denominator
            (Algorithm 1). Defaults to True.

    Returns:
        tuple: residuals m (T, V, 2), weights w (T, V) and ratios p (T,),
        all float32 (p float64).
    """
    num_frames = keypoint.shape[0]
    valid = max(num_frames - interval, 0)
    confidence = truncated_confidence(score, conf_thr)
    residual = np.zeros_like(keypoint, dtype=np.float32)
    weight = np.zeros_like(confidence)
    residual[:valid] = keypoint[interval:] - keypoint[:valid]
    weight[:valid] = confidence[:valid] * confidence[interval:]
    ratio = motion_ratio(residual, weight, interval, motion_thr, count_missing)
    return residual, weight, ratio


def _groups(num_joints: int, member: Optional[np.ndarray]) -> np.ndarray:
    """``member`` (V, P) 0/1, or one group of every joint (V, 1)."""
    return np.ones((num_joints, 1)) if member is None else member


def motion_ratio(residual: np.ndarray,
                 weight: np.ndarray,
                 interval: int,
                 motion_thr: float,
                 count_missing: bool = True,
                 member: Optional[np.ndarray] = None) -> np.ndarray:
    """Algorithm 1's ``p_i`` over the coordinates of the frame, or of each
    group of joints (see :func:`motion_statistics`; 0 for i >= T - k).

    Args:
        residual (np.ndarray): (T, V, 2) residuals m.
        weight (np.ndarray): (T, V) weights w.
        interval (int): k.
        motion_thr (float): epsilon_m.
        count_missing (bool): Count every coordinate in the denominator.
            Defaults to True.
        member (np.ndarray, optional): (V, P) 0/1 joint groups (e.g. the
            token parts); None = the whole frame. Defaults to None.

    Returns:
        np.ndarray: (T,) float64 ratios, or (T, P) with ``member``.
    """
    truncated = np.abs(residual) * weight[..., None]
    moving = (truncated >= motion_thr).sum(-1)
    counted = ((truncated >= 0).sum(-1) if count_missing else 2 * (weight > 0))
    groups = _groups(weight.shape[1], member)
    ratio = (moving @ groups) / np.maximum(counted @ groups, 1)
    ratio[np.arange(len(ratio)) >= len(ratio) - interval] = 0
    return ratio[:, 0] if member is None else ratio


def motion_count(residual: np.ndarray,
                 weight: np.ndarray,
                 motion_thr: float,
                 member: Optional[np.ndarray] = None) -> np.ndarray:
    """The released rule's count of coordinates whose weighted *signed*
    residual exceeds ``motion_thr``, per frame or per group of joints.

    Returns:
        np.ndarray: (T,) float64, or (T, P) with ``member`` (V, P).
    """
    moving = ((residual * weight[..., None]) > motion_thr).sum(-1)
    count = (moving @ _groups(weight.shape[1], member)).astype(np.float64)
    return count[:, 0] if member is None else count


@TRANSFORMS.register_module()
class MotionAwareMask(BaseTransform):
    """Choose the frames to mask with MASA's motion-aware strategy.

    Algorithm 1 of the paper on person 0 of the (normalised, sampled) clip
    of T frames, with k = ``interval``, epsilon_c = ``conf_thr``,
    epsilon_m = ``motion_thr``, delta = ``ratio_thr`` and alpha =
    ``mask_ratio`` (see :func:`motion_statistics` for m, c and p): the
    candidate set is ``S = {i < T - k : p_i >= delta}`` and
    ``round(alpha |S|)`` frames of S (halves round up) are masked, drawn
    uniformly without replacement with the global numpy RNG.

    ``candidate_rule='count'`` is the released code's rule instead of
    ``p_i >= delta``: frame i is a candidate when more than ``min_count``
    of its coordinates have a weighted *signed* residual ``m_i w_i``
    above ``motion_thr`` (strictly; the released threshold is 3.0).

    ``strategy='random'`` (Table VI's baseline) masks
    ``max(1, round(alpha (T - k)))`` of the ``T - k`` frames that have a
    motion target instead (the last k frames have none: their residual and
    weight are 0, so masking them would only dilute Eq. 4).

    Fallback (documented choice; the paper does not cover it): when the rule
    above masks no frame (S empty, or ``alpha |S| < 0.5``) one frame is
    masked, drawn among the frames ``i < T - k`` with the highest ``p_i``
    (ties at random; any frame when T <= k, whose residuals are all 0).
    At least one frame always stays visible. The single exception is T = 1,
    where nothing is masked (one frame cannot be both masked and visible,
    and an encoder needs a visible frame).

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2), normalised coordinates.
        - keypoint_score (np.ndarray): (M, T, V).
        - num_clips (int, optional): must be 1.

    Added Keys:

        - motion_mask (np.ndarray): (T,) bool, True = masked (the set M);
          (T, 3) with ``per_part``.
        - motion_candidates (np.ndarray): (T,) bool, the candidate set S;
          (T, 3) with ``per_part``.
        - motion_target (np.ndarray): (T, V, 2) float32, m_i; with
          ``target_intervals`` (k_1..k_S) (T, V, 2 S), the residuals at
          each interval side by side.
        - motion_weight (np.ndarray): (T, V) float32, c_i * c_{i+k}; with
          ``target_intervals`` (T, V, S), c_i * c_{i+k_s}.
        - joint_weight (np.ndarray): (T, V) float32, c_i (for a
          joint-reconstruction target).

    Args:
        interval (int): k, frames between a pose and its motion target.
            Defaults to 3.
        conf_thr (float): epsilon_c. Defaults to 0.4.
        motion_thr (float): epsilon_m, in the [-128, 128] coordinates.
            Defaults to 5.0.
        ratio_thr (float): delta. Defaults to 0.5.
        mask_ratio (float): alpha, in [0, 1]. Defaults to 0.9.
        strategy (str): ``'motion'`` (Algorithm 1) or ``'random'``.
            Defaults to ``'motion'``.
        candidate_rule (str): ``'ratio'`` (Algorithm 1) or ``'count'``
            (released code). Defaults to 'ratio'.
        min_count (int): The count rule's ``count > min_count``.
            Defaults to 1.
        count_missing (bool): False (ours, beyond the paper) leaves joints
            missing in either frame out of ``p_i``'s denominator (see
            :func:`motion_statistics`). Defaults to True (Algorithm 1).
        per_part (bool): The released code's masks, drawn independently
            for the right hand, the left hand and the body (the parts of
            :data:`~mmaction_masa.sign_layout.TOKEN_PARTS`): each part's
            ``p_i`` (or count) over its own coordinates, its own candidates,
            alpha of them masked, the same fallback per part;
            ``motion_mask`` and ``motion_candidates`` are then (T, 3). Needs
            the BERT-style encoder input (``MASA(encoder_input=
            'mask_token')``). Defaults to False (one mask per frame).
        target_intervals (Sequence[int], optional): Multi-scale motion
            target (ours, the paper's future work): residuals at every one
            of these intervals, e.g. (1, 3, 5), predicted by one decoder
            (``MotionPredictionHead(num_scales=S)``); the mask still uses
            ``interval``. None = the single interval k. Defaults to None.
    """

    def __init__(self,
                 interval: int = 3,
                 conf_thr: float = 0.4,
                 motion_thr: float = 5.0,
                 ratio_thr: float = 0.5,
                 mask_ratio: float = 0.9,
                 strategy: str = 'motion',
                 candidate_rule: str = 'ratio',
                 min_count: int = 1,
                 count_missing: bool = True,
                 per_part: bool = False,
                 target_intervals: Optional[Sequence[int]] = None) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        if not 0 <= mask_ratio <= 1:
            raise ValueError(f'mask_ratio must be in [0, 1], got {mask_ratio}')
        if strategy not in STRATEGIES:
            raise ValueError(
                f'strategy must be one of {STRATEGIES}, got {strategy!r}')
        if candidate_rule not in CANDIDATE_RULES:
            raise ValueError(f'candidate_rule must be one of '
                             f'{CANDIDATE_RULES}, got {candidate_rule!r}')
        self.candidate_rule = candidate_rule
        self.count_missing = count_missing
        self.per_part = per_part
        if target_intervals is not None and (not target_intervals
                                             or min(target_intervals) < 1):
            raise ValueError('target_intervals must be positive intervals, '
                             f'got {target_intervals}')
        self.target_intervals = (None if target_intervals is None else
                                 tuple(target_intervals))
        self.min_count = min_count
        self.interval = interval
        self.conf_thr = conf_thr
        self.motion_thr = motion_thr
        self.ratio_thr = ratio_thr
        self.mask_ratio = mask_ratio
        self.strategy = strategy

    def _pool(self, ratio: np.ndarray,
              candidates: np.ndarray) -> Tuple[np.ndarray, int]:
        """Frames to draw from and how many to draw (before the T-1 cap)."""
        num_frames = len(ratio)
        valid = ratio[:max(num_frames - self.interval, 0)]
        if len(valid) == 0:
            return np.arange(num_frames), 1
        if self.strategy == 'random':
            return np.arange(len(valid)), max(
                1, round_half_up(self.mask_ratio * len(valid)))
        pool = np.flatnonzero(candidates)
        count = round_half_up(self.mask_ratio * len(pool))
        if count > 0:
            return pool, count
        return np.flatnonzero(valid == valid.max()), 1

    def _select(self, ratio: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """The boolean mask (T,) of masked frames."""
        num_frames = len(ratio)
        mask = np.zeros(num_frames, dtype=bool)
        if num_frames < 2:
            return mask
        pool, count = self._pool(ratio, candidates)
        count = min(count, num_frames - 1)
        mask[np.random.choice(pool, count, replace=False)] = True
        return mask

    def _select_parts(self, ratio: np.ndarray,
                      candidates: np.ndarray) -> np.ndarray:
        """The (T, P) masks of :meth:`_select`'s rule, drawn for every part
        at once: alpha of each part's candidates, else one frame of its
        highest ratio (the random strategy: alpha of the T - k frames with
        a target), at most T - 1 frames a part."""
        num_frames, num_parts = ratio.shape
        if num_frames < 2:
            return np.zeros_like(candidates)
        valid = np.arange(num_frames) < num_frames - self.interval
        valid = valid if valid.any() else np.ones(num_frames, bool)
        if self.strategy == 'random':
            pool = np.broadcast_to(valid[:, None], ratio.shape)
            counts = np.full(
                num_parts, max(1,
                               round_half_up(self.mask_ratio * valid.sum())))
        else:
            counts = np.floor(self.mask_ratio * candidates.sum(0) +
                              0.5).astype(np.int64)
            best = np.where(valid[:, None], ratio, -np.inf)
            is_best = valid[:, None] & (best == best.max(0))
            pool = np.where(counts[None] > 0, candidates, is_best)
            counts = np.maximum(counts, 1)
        counts = np.minimum(counts, num_frames - 1)
        scores = np.where(pool, np.random.rand(*ratio.shape), -1.0)
        rank = np.argsort(np.argsort(-scores, axis=0), axis=0)
        return rank < counts[None]

    def _multi_scale_target(self, keypoint: np.ndarray,
                            score: np.ndarray) -> Tuple[np.ndarray, ...]:
        """Residuals (T, V, 2 S) and weights (T, V, S) at every target
        interval."""
        num_frames = len(keypoint)
        later = np.arange(num_frames)[None] + np.array(
            self.target_intervals)[:, None]  # (S, T): frame i + k_s
        valid = later < num_frames
        later = np.minimum(later, num_frames - 1)
        confidence = truncated_confidence(score, self.conf_thr)
        residual = np.where(valid[..., None, None],
                            keypoint[later] - keypoint[None], 0)
        weight = np.where(valid[..., None],
                          confidence[None] * confidence[later], 0)
        # (S, T, V, 2) -> (T, V, 2 S); (S, T, V) -> (T, V, S)
        return (residual.transpose(1, 2, 0,
                                   3).reshape(num_frames, keypoint.shape[1],
                                              -1).astype(np.float32),
                weight.transpose(1, 2, 0).astype(np.float32))

    def transform(self, results: Dict) -> Dict:
        """Compute the motion targets and the frame mask.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with the motion fields.
        """
        keypoint, score = check_pose(results, 'MotionAwareMask')
        if results.get('num_clips', 1) != 1:
            raise ValueError(
                f'MotionAwareMask: sample {sample_name(results)!r} has '
                f"num_clips={results['num_clips']}; masking needs one clip")
        residual, weight, ratio = motion_statistics(keypoint[0], score[0],
                                                    self.interval,
                                                    self.conf_thr,
                                                    self.motion_thr,
                                                    self.count_missing)
        member = PART_MEMBERSHIP if self.per_part else None
        if self.candidate_rule == 'count':
            # The fallback then picks among the frames of highest count.
            ratio = motion_count(residual, weight, self.motion_thr, member)
            candidates = ratio > self.min_count
        else:
            if self.per_part:
                ratio = motion_ratio(residual, weight, self.interval,
                                     self.motion_thr, self.count_missing,
                                     member)
            candidates = ratio >= self.ratio_thr
        candidates[max(len(ratio) - self.interval, 0):] = False
        select = self._select_parts if self.per_part else self._select
        results['motion_mask'] = select(ratio, candidates)
        results['motion_candidates'] = candidates
        if self.target_intervals is not None:
            residual, weight = self._multi_scale_target(keypoint[0], score[0])
        results['motion_target'] = residual
        results['motion_weight'] = weight
        results['joint_weight'] = truncated_confidence(score[0], self.conf_thr)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(interval={self.interval}, '
                f'conf_thr={self.conf_thr}, motion_thr={self.motion_thr}, '
                f'ratio_thr={self.ratio_thr}, mask_ratio={self.mask_ratio}, '
                f"strategy='{self.strategy}', "
                f"candidate_rule='{self.candidate_rule}', "
                f'min_count={self.min_count}, '
                f'count_missing={self.count_missing}, '
                f'per_part={self.per_part}, '
                f'target_intervals={self.target_intervals})')
