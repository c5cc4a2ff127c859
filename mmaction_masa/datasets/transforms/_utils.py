"""Helpers shared by the sign-pose transforms: checks and rounding."""
import math
from typing import Dict, Sequence, Tuple

import numpy as np

from ...sign_layout import NUM_JOINTS

__all__ = [
    'sample_name', 'require', 'check_pose', 'check_sign_pose', 'nonempty_pose',
    'take_frames', 'round_half_up', 'check_range'
]


def sample_name(results: Dict) -> str:
    """The ``frame_dir`` of a sample, for error messages."""
    return str(results.get('frame_dir', '<sample without frame_dir>'))


def require(results: Dict, key: str, owner: str) -> object:
    """Return ``results[key]`` or raise a ``KeyError`` naming the sample.

    Args:
        results (dict): The sample.
        key (str): The required key.
        owner (str): Name of the transform that needs it.

    Raises:
        KeyError: ``key`` is missing.
    """
    if key not in results:
        raise KeyError(f'{owner}: sample {sample_name(results)!r} has no '
                       f'{key!r} field')
    return results[key]


def check_pose(results: Dict,
               owner: str,
               prefix: str = '') -> Tuple[np.ndarray, np.ndarray]:
    """Validated float32 ``keypoint`` (M,T,V,2) and ``keypoint_score`` (M,T,V).

    Args:
        results (dict): The sample.
        owner (str): Name of the calling transform, for error messages.
        prefix (str): Key prefix, e.g. ``'view2_'``. Defaults to ``''``.

    Returns:
        tuple[np.ndarray, np.ndarray]: keypoint and keypoint_score.

    Raises:
        KeyError: a field is missing.
        ValueError: a field has the wrong shape.
    """
    kp_key, score_key = f'{prefix}keypoint', f'{prefix}keypoint_score'
    keypoint = np.asarray(require(results, kp_key, owner), dtype=np.float32)
    score = np.asarray(require(results, score_key, owner), dtype=np.float32)
    name = sample_name(results)
    if keypoint.ndim != 4 or keypoint.shape[-1] != 2:
        raise ValueError(f'{owner}: sample {name!r} field {kp_key!r} must '
                         f'have shape (M, T, V, 2), got {keypoint.shape}')
    if score.shape != keypoint.shape[:3]:
        raise ValueError(f'{owner}: sample {name!r} field {score_key!r} has '
                         f'shape {score.shape}, but {kp_key!r} has '
                         f'{keypoint.shape} (expected {keypoint.shape[:3]})')
    return keypoint, score


def check_sign_pose(results: Dict,
                    owner: str) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`check_pose` for transforms that need the 49 sign joints.

    Raises:
        ValueError: the pose does not have the 49 joints (naming the sample
            and the field, and :class:`SelectSignJoints`).
    """
    keypoint, score = check_pose(results, owner)
    if keypoint.shape[2] != NUM_JOINTS:
        raise ValueError(f'{owner}: sample {sample_name(results)!r} field '
                         f"'keypoint' has {keypoint.shape[2]} joints; apply "
                         f'SelectSignJoints first (expected {NUM_JOINTS})')
    return keypoint, score


def nonempty_pose(results: Dict, owner: str) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`check_pose` for transforms that need at least one frame.

    Raises:
        ValueError: the clip has no frame (naming the sample and field).
    """
    keypoint, score = check_pose(results, owner)
    if keypoint.shape[1] == 0:
        raise ValueError(f'{owner}: sample {sample_name(results)!r} has an '
                         "empty clip (field 'keypoint' has 0 frames)")
    return keypoint, score


def take_frames(results: Dict, keypoint: np.ndarray, score: np.ndarray,
                inds: np.ndarray, clip_len: int, num_clips: int) -> Dict:
    """Keep the frames ``inds`` of a sample (the sampling transforms'
    common output: ``frame_inds``, ``total_frames``, ``clip_len``,
    ``num_clips``)."""
    results['keypoint'] = keypoint[:, inds]
    results['keypoint_score'] = score[:, inds]
    results['frame_inds'] = inds
    results['total_frames'] = len(inds)
    results['clip_len'] = clip_len
    results['num_clips'] = num_clips
    return results


def round_half_up(value: float) -> int:
    """Round to the nearest integer, halves upwards (``round(4.5) == 5``).

    Python's and numpy's ``round`` round halves to even; the frame counts
    of the paper's ``round(alpha * n)`` use the school rule instead.
    """
    return int(math.floor(value + 0.5))


def check_range(owner: str,
                name: str,
                value: Sequence[float],
                positive: bool = False) -> Tuple[float, float]:
    """A transform argument ``(low, high)`` with ``low <= high``.

    Args:
        owner (str): The transform, for the message.
        name (str): The argument, for the message.
        value (Sequence[float]): The pair.
        positive (bool): Also require ``low > 0``. Defaults to False.

    Returns:
        tuple[float, float]: ``(low, high)`` as floats.

    Raises:
        ValueError: The pair is not ordered (or not positive).
    """
    low, high = (float(v) for v in value)
    if low > high or (positive and low <= 0):
        need = '0 < low <= high' if positive else 'low <= high'
        raise ValueError(f'{owner}: {name} must be (low, high) with {need}, '
                         f'got {tuple(value)}')
    return low, high
