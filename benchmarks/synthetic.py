"""Synthetic 49-joint sign clips for benchmarks and distributed tests.

A clip is a fixed upper-body skeleton whose wrists follow a random walk;
elbows follow the wrists halfway, each hand is a rigid 21-joint template
attached at its wrist and turned by a random-walk angle, every joint gets a
little jitter, and scores are drawn in [0.5, 1] with a few low-confidence
joints. The result is an MMAction2 ``PoseDataset`` annotation dict in the
49-joint order of :mod:`mmaction_masa.sign_layout`.
"""
from typing import Dict, List, Optional

import numpy as np

from mmaction_masa.sign_layout import (BODY_INDEX, LEFT_HAND_SLICE, NUM_JOINTS,
                                       RIGHT_HAND_SLICE)

__all__ = [
    'IMG_SHAPE', 'BODY_TEMPLATE', 'hand_template', 'synthetic_clip',
    'synthetic_annotations'
]

#: Image size (h, w) of the synthetic clips.
IMG_SHAPE = (512, 512)
#: Upper-body joints (x, y) in pixels, in ``BODY_INDEX`` order.
BODY_TEMPLATE = np.array([[256, 150], [316, 220], [196, 220], [340, 320],
                          [172, 320], [320, 400], [192, 400]],
                         dtype=np.float32)


def hand_template(segment: float = 9.0) -> np.ndarray:
    """A flat open hand (wrist at the origin, fingers pointing up).

    Args:
        segment (float): Length of one finger segment in pixels.

    Returns:
        np.ndarray: ``(21, 2)`` float32 joints in the COCO-WholeBody hand
        order (wrist, then 4 joints per finger from thumb to little finger).
    """
    angles = np.deg2rad(np.array([-60, -25, 0, 20, 40], dtype=np.float32))
    direction = np.stack([np.sin(angles), -np.cos(angles)], axis=1)
    steps = np.arange(1, 5, dtype=np.float32)[None, :, None] * segment
    fingers = direction[:, None, :] * (steps + segment)
    return np.concatenate(
        [np.zeros((1, 2), np.float32),
         fingers.reshape(-1, 2)]).astype(np.float32)


def _rotate(points: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate ``(V, 2)`` points by ``(T,)`` angles -> ``(T, V, 2)``."""
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x, y = points[None, :, 0], points[None, :, 1]
    return np.stack([cos * x - sin * y, sin * x + cos * y], axis=-1)


def synthetic_clip(num_frames: int,
                   rng: np.random.Generator,
                   step: float = 4.0) -> Dict[str, np.ndarray]:
    """One person's random-walk signing clip.

    Args:
        num_frames (int): ``T``.
        rng (np.random.Generator): Source of randomness.
        step (float): Standard deviation of a wrist step in pixels.

    Returns:
        dict[str, np.ndarray]: ``keypoint`` ``(1, T, 49, 2)`` and
        ``keypoint_score`` ``(1, T, 49)``, both float32.
    """
    body = np.broadcast_to(BODY_TEMPLATE, (num_frames, 7, 2)).copy()
    walk = rng.normal(0, step, (num_frames, 2, 2)).cumsum(0)
    body[:, [BODY_INDEX['left_wrist'], BODY_INDEX['right_wrist']]] += walk
    body[:, [BODY_INDEX['left_elbow'], BODY_INDEX['right_elbow']]] += walk / 2
    keypoint = np.empty((num_frames, NUM_JOINTS, 2), np.float32)
    keypoint[:, :7] = body
    template = hand_template()
    turns = rng.normal(0, 0.25, (2, num_frames)).cumsum(1)
    for hand, wrist, turn in ((LEFT_HAND_SLICE, 'left_wrist', turns[0]),
                              (RIGHT_HAND_SLICE, 'right_wrist', turns[1])):
        keypoint[:, hand] = (
            _rotate(template, turn) + body[:, BODY_INDEX[wrist], None])
    keypoint += rng.normal(0, 2.0, keypoint.shape)
    score = rng.uniform(0.5, 1.0, (num_frames, NUM_JOINTS))
    score[rng.random(score.shape) < 0.05] = 0.1
    return dict(
        keypoint=keypoint[None].astype(np.float32),
        keypoint_score=score[None].astype(np.float32))


def synthetic_annotations(num_clips: int,
                          num_frames: int = 60,
                          num_classes: int = 10,
                          seed: int = 0,
                          frame_jitter: int = 8,
                          names: Optional[List[str]] = None) -> List[Dict]:
    """Annotations of ``num_clips`` synthetic clips.

    Args:
        num_clips (int): Number of clips.
        num_frames (int): Mean clip length ``T``.
        num_classes (int): Labels cycle through ``range(num_classes)``.
        seed (int): Seed of the generator.
        frame_jitter (int): Lengths are drawn uniformly from
            ``num_frames +- frame_jitter`` (at least 1 frame).
        names (list[str], optional): ``frame_dir`` of each clip.
            Defaults to ``clip_00000``, ``clip_00001``, ...

    Returns:
        list[dict]: ``PoseDataset`` annotations (``frame_dir``, ``label``,
        ``img_shape``, ``total_frames``, ``keypoint``, ``keypoint_score``).
    """
    rng = np.random.default_rng(seed)
    names = names or [f'clip_{i:05d}' for i in range(num_clips)]
    if len(names) != num_clips:
        raise ValueError(f'{len(names)} names for {num_clips} clips')
    lengths = np.maximum(
        rng.integers(num_frames - frame_jitter, num_frames + frame_jitter + 1,
                     num_clips), 1)
    annotations = []
    for index, (name, length) in enumerate(zip(names, lengths)):
        clip = synthetic_clip(int(length), rng)
        annotations.append(
            dict(
                frame_dir=name,
                label=index % num_classes,
                img_shape=IMG_SHAPE,
                total_frames=int(length),
                **clip))
    return annotations
