"""Procedurally generated sign poses: the embedded, synthetic default data.

No benchmark pose data ships with the project, so examples, smoke tests and
the default configs run on poses drawn here. Everything is **synthetic**:
each annotation has ``synthetic=True``, ``frame_dir`` values read
``synth_c<class>_s<signer>_r<repetition>`` and the file carries a ``meta``
dict saying how it was made.

Model (all in units of the signer's shoulder half-width ``u``, origin at the
shoulder centre, x towards the signer's left = image right, y down):

- **Body**: nose above the shoulders, shoulders at ``(+-w, 0)``; elbows
  come from two-link inverse kinematics of the wrist targets, and the whole
  body sways slightly.
- **Class** = a motion of the dominant (right) hand plus the role of the
  other hand. A hand motion is a Bezier wrist path (2-4 control points in
  the signing space) with a superimposed circular or linear oscillation,
  a wrist bend relative to the forearm, a rotation of the palm about the
  hand's long axis and a handshape: a curl per finger (thumb first) and a
  finger spread, which may change to a second handshape mid-sign. The other
  hand either mirrors the dominant one (symmetric two-handed sign, possibly
  alternating), holds a class-specific base handshape in front of the body
  (two-handed sign with a passive hand), or rests low with small idle
  movements (one-handed sign).
- **Hands** are 21-joint skeletons in the COCO-WholeBody / MediaPipe order
  (wrist, then thumb, index, middle, ring and little finger, base to tip)
  built in 3D (fingers flex towards the camera, the palm rotates about the
  hand's axis) and projected orthographically.
- **Signers** differ in body size, shoulder width, position in the frame,
  tempo, path amplitude and offset, handedness (a left-handed signer is the
  mirror image) and per-finger handshape deviations; every repetition
  varies the path, duration (20-60 frames, or a fixed ``num_frames``) and
  time warp.
- **Observation noise**: Gaussian jitter, scores below 1, hands undetected
  for runs of frames and occasional lost body joints (score 0 and
  coordinates 0, as MMPose reports them), and joints outside the image are
  undetected too. Coordinates are pixels of ``img_shape`` (default
  ``(480, 640)``).

The split is by signer: the last ``test_signers`` signers are test only.
The output is deterministic for a seed.
"""
from math import comb
from typing import Dict, List, NamedTuple, Optional, Tuple

import numpy as np

from ...sign_layout import (BODY_INDEX, LEFT_HAND_SLICE, NUM_BODY_JOINTS,
                            NUM_JOINTS, RIGHT_HAND_SLICE)

__all__ = [
    'IMG_SHAPE', 'HandMotion', 'SignClass', 'Signer', 'hand_skeleton',
    'arm_elbow', 'make_classes', 'make_signers', 'synthesize_clip',
    'make_synthetic_signs', 'synthetic_frame_dir'
]

#: Default frame size (h, w) in pixels.
IMG_SHAPE: Tuple[int, int] = (480, 640)
#: Clip length range in frames (inclusive).
MIN_FRAMES, MAX_FRAMES = 20, 60

# Skeleton proportions in shoulder half-widths.
NOSE_HEIGHT = 1.5
UPPER_ARM = 1.5
FOREARM = 1.35
HAND_LENGTH = 0.95
#: Reach limit of wrist targets (fraction of the stretched arm).
MAX_REACH = 0.97

# Hand template of a right hand seen palm-on, hand length 1, wrist at the
# origin, fingers up (-y), thumb towards +x; fingers: thumb, index, middle,
# ring, little. Base = thumb CMC / finger MCP.
FINGER_BASE = np.array([[0.12, -0.10], [0.13, -0.45], [0.0, -0.48],
                        [-0.11, -0.45], [-0.21, -0.39]])
#: In-plane direction of each finger (radians from -y towards +x).
FINGER_ANGLE = np.array([0.9, 0.12, 0.0, -0.12, -0.26])
#: Lengths of the three segments of each finger.
FINGER_SEGMENTS = np.array([[0.20, 0.16, 0.13], [0.22, 0.13, 0.10],
                            [0.25, 0.15, 0.10], [0.23, 0.14, 0.10],
                            [0.17, 0.11, 0.09]])
#: Flexion (radians) of each finger joint at curl 1.
FINGER_FLEX = np.array([[0.3, 0.5, 0.6], [1.3, 1.6, 1.0], [1.3, 1.6, 1.0],
                        [1.3, 1.6, 1.0], [1.3, 1.6, 1.0]])
#: In-plane swing of each finger towards the palm at curl 1 (thumb only).
FINGER_ADDUCTION = np.array([0.9, 0.0, 0.0, 0.0, 0.0])

# Observation model.
BODY_JITTER_PX = 1.2
HAND_JITTER_PX = 0.8
BODY_SCORE = (0.85, 0.07)  # mean, std
HAND_SCORE = (0.78, 0.10)
BODY_DROP_PROB = 0.01
#: Expected undetected-hand runs per hand and clip.
HAND_DROP_RUNS = 0.7
#: Probability that a resting hand is out of shot for the whole clip.
REST_HAND_HIDDEN = 0.2


class HandMotion(NamedTuple):
    """One hand's part of a sign, in the frame of a right arm.

    Attributes:
        path (np.ndarray): (K, 2) Bezier control points of the wrist.
        osc_amp (np.ndarray): (2,) oscillation amplitude along x / y.
        osc_freq (float): Oscillation cycles per sign.
        osc_phase (float): Oscillation phase (radians).
        bend (np.ndarray): (2,) wrist bend at the start / end (radians).
        bend_osc (float): Amplitude of the bend's oscillation (radians).
        palm (np.ndarray): (2,) palm rotation at the start / end (radians).
        curl (np.ndarray): (2, 5) finger curls of the two handshapes.
        spread (np.ndarray): (2,) finger spread of the two handshapes.
        change_at (float): Time (0-1) of the handshape change.
    """

    path: np.ndarray
    osc_amp: np.ndarray
    osc_freq: float
    osc_phase: float
    bend: np.ndarray
    bend_osc: float
    palm: np.ndarray
    curl: np.ndarray
    spread: np.ndarray
    change_at: float


class SignClass(NamedTuple):
    """A synthetic sign: the dominant hand's and the other hand's motion."""

    dominant: HandMotion
    other: HandMotion
    kind: str  #: 'one-handed', 'symmetric' or 'base-hand'
    duration: int  #: typical number of frames


class Signer(NamedTuple):
    """A synthetic signer's body and style."""

    scale: float  #: shoulder half-width in pixels
    shoulder: float  #: shoulder half-width / u (1 = average)
    centre: np.ndarray  #: (2,) shoulder centre in pixels
    tempo: float  #: duration factor
    amplitude: float  #: path scale about the shoulder
    offset: np.ndarray  #: (2,) path offset (u)
    curl_bias: np.ndarray  #: (5,) per-finger curl deviation
    left_handed: bool


def _bezier(points: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Bezier curve of control points (K, 2) at times t (T,) -> (T, 2)."""
    degree = len(points) - 1
    k = np.arange(degree + 1)
    coef = np.array([comb(degree, i) for i in k], np.float64)
    basis = coef * t[:, None]**k * (1 - t[:, None])**(degree - k)
    return basis @ points


def _smoothstep(x: np.ndarray) -> np.ndarray:
    """``3x^2 - 2x^3`` of x clipped to [0, 1]."""
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def hand_skeleton(curl: np.ndarray, spread: np.ndarray,
                  palm: np.ndarray) -> np.ndarray:
    """Projected right-hand joints in hand units (wrist at the origin).

    Args:
        curl (np.ndarray): (T, 5) finger curls in [0, 1], thumb first.
        spread (np.ndarray): (T,) finger spread (0 = template).
        palm (np.ndarray): (T,) rotation of the palm about the hand's long
            axis (radians; 0 = palm towards the camera).

    Returns:
        np.ndarray: (T, 21, 2) joints in COCO-WholeBody hand order, fingers
        pointing to -y for ``palm == 0``.
    """
    num_frames = len(curl)
    angle = (FINGER_ANGLE * (1 + spread[:, None]) - FINGER_ADDUCTION * curl
             )  # (T, 5)
    flex = np.cumsum(FINGER_FLEX * curl[..., None], axis=-1)  # (T, 5, 3)
    direction = np.stack([np.sin(angle), -np.cos(angle)], -1)  # (T, 5, 2)
    segment = FINGER_SEGMENTS[..., None] * np.concatenate([
        np.cos(flex)[..., None] * direction[:, :, None],
        np.sin(flex)[..., None]
    ], -1)  # (T, 5, 3, 3): x, y, z
    base = np.concatenate([FINGER_BASE, np.zeros((5, 1))], -1)
    joints = base[None, :, None] + np.concatenate(
        [np.zeros((num_frames, 5, 1, 3)),
         np.cumsum(segment, axis=2)], axis=2)  # (T, 5, 4, 3)
    joints = np.concatenate(
        [np.zeros((num_frames, 1, 3)),
         joints.reshape(num_frames, 20, 3)],
        axis=1)
    cos, sin = np.cos(palm)[:, None], np.sin(palm)[:, None]
    x = joints[..., 0] * cos + joints[..., 2] * sin
    return np.stack([x, joints[..., 1]], -1)


def arm_elbow(shoulder: np.ndarray,
              target: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Two-link inverse kinematics of a right arm.

    Args:
        shoulder (np.ndarray): (T, 2) shoulder positions.
        target (np.ndarray): (T, 2) wanted wrist positions.

    Returns:
        tuple[np.ndarray, np.ndarray]: elbow and reachable wrist, (T, 2)
        each; the elbow bends down and outwards (-x).
    """
    delta = target - shoulder
    dist = np.linalg.norm(delta, axis=-1, keepdims=True)
    unit = delta / np.maximum(dist, 1e-6)
    dist = np.clip(dist,
                   abs(UPPER_ARM - FOREARM) + 1e-3,
                   MAX_REACH * (UPPER_ARM + FOREARM))
    cos_a = (UPPER_ARM**2 + dist**2 - FOREARM**2) / (2 * UPPER_ARM * dist)
    angle = np.arccos(np.clip(cos_a, -1, 1))
    candidates = []
    for sign in (1, -1):  # the two IK solutions
        c, s = np.cos(sign * angle), np.sin(sign * angle)
        rotated = np.concatenate([
            unit[:, :1] * c - unit[:, 1:] * s,
            unit[:, :1] * s + unit[:, 1:] * c
        ], -1)
        candidates.append(shoulder + UPPER_ARM * rotated)
    low_out = [e[:, 1] - 0.5 * e[:, 0] for e in candidates]
    elbow = np.where((low_out[0] >= low_out[1])[:, None], *candidates)
    return elbow, shoulder + unit * dist


def _render_arm(motion: HandMotion, shoulder: np.ndarray, t: np.ndarray,
                signer: Signer) -> np.ndarray:
    """Elbow, wrist and hand of a right arm: (T, 23, 2) in u."""
    pivot = np.array([-signer.shoulder, 0.0])
    path = pivot + (motion.path - pivot) * signer.amplitude + signer.offset
    phase = 2 * np.pi * motion.osc_freq * t + motion.osc_phase
    wave = np.stack([np.cos(phase), np.sin(phase)], -1) * motion.osc_amp
    elbow, wrist = arm_elbow(shoulder, _bezier(path, t) + wave)
    change = _smoothstep((t - motion.change_at) / 0.2 + 0.5)[:, None]
    curl = np.clip(
        motion.curl[0] + (motion.curl[1] - motion.curl[0]) * change +
        signer.curl_bias, 0, 1)
    spread = motion.spread[0] + (motion.spread[1] -
                                 motion.spread[0]) * change[:, 0]
    palm = motion.palm[0] + (motion.palm[1] - motion.palm[0]) * t
    hand = hand_skeleton(curl, spread, palm) * HAND_LENGTH
    forearm = wrist - elbow
    bend = (
        motion.bend[0] + (motion.bend[1] - motion.bend[0]) * t +
        motion.bend_osc * np.sin(phase))
    # rotate the hand's up direction (0, -1) onto the bent forearm
    rot = np.arctan2(forearm[:, 1], forearm[:, 0]) + bend + np.pi / 2
    cos, sin = np.cos(rot)[:, None], np.sin(rot)[:, None]
    hand = np.stack([
        hand[..., 0] * cos - hand[..., 1] * sin,
        hand[..., 0] * sin + hand[..., 1] * cos
    ], -1)
    return np.concatenate(
        [elbow[:, None], wrist[:, None], wrist[:, None] + hand], axis=1)


def _mirror(xy: np.ndarray) -> np.ndarray:
    """Negate x."""
    return xy * np.array([-1.0, 1.0])


def _skeleton(sign: SignClass, signer: Signer, t: np.ndarray,
              sway: np.ndarray) -> np.ndarray:
    """(T, 49, 2) joints of a right-handed signer in u, before noise."""
    num_frames = len(t)
    right_shoulder = np.tile([-signer.shoulder, 0.0], (num_frames, 1))
    right = _render_arm(sign.dominant, right_shoulder, t, signer)
    left = _mirror(_render_arm(sign.other, right_shoulder, t, signer))
    pose = np.zeros((num_frames, NUM_JOINTS, 2))
    pose[:, BODY_INDEX['nose']] = [0.0, -NOSE_HEIGHT]
    pose[:, BODY_INDEX['left_shoulder']] = _mirror(right_shoulder)
    pose[:, BODY_INDEX['right_shoulder']] = right_shoulder
    for side, arm in (('left', left), ('right', right)):
        pose[:, BODY_INDEX[f'{side}_elbow']] = arm[:, 0]
        pose[:, BODY_INDEX[f'{side}_wrist']] = arm[:, 1]
    pose[:, LEFT_HAND_SLICE] = left[:, 2:]
    pose[:, RIGHT_HAND_SLICE] = right[:, 2:]
    return pose + sway[:, None]


def _flip_handedness(pose: np.ndarray) -> np.ndarray:
    """Mirror image of a (..., 49, 2) pose: negate x, swap the sides."""
    order = np.arange(NUM_JOINTS)
    for a, b in (('left_shoulder', 'right_shoulder'),
                 ('left_elbow', 'right_elbow'), ('left_wrist', 'right_wrist')):
        order[[BODY_INDEX[a], BODY_INDEX[b]]] = BODY_INDEX[b], BODY_INDEX[a]
    order[LEFT_HAND_SLICE], order[RIGHT_HAND_SLICE] = (
        np.arange(NUM_JOINTS)[RIGHT_HAND_SLICE],
        np.arange(NUM_JOINTS)[LEFT_HAND_SLICE])
    return _mirror(pose[..., order, :])


def _hand_runs(rng: np.random.Generator, num_frames: int) -> np.ndarray:
    """(T,) bool: frames inside random runs where a hand is undetected."""
    num_runs = rng.poisson(HAND_DROP_RUNS)
    start = rng.integers(0, num_frames, num_runs)
    length = rng.integers(2, max(3, num_frames // 5) + 1, num_runs)
    frame = np.arange(num_frames)[:, None]
    return ((frame >= start) & (frame < start + length)).any(-1)


def _observe(pose: np.ndarray, signer: Signer, sign: SignClass,
             rng: np.random.Generator,
             img_shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Pixels, jitter, scores and drop-outs of a (T, 49, 2) pose in u."""
    num_frames = len(pose)
    if signer.left_handed:
        pose = _flip_handedness(pose)
    keypoint = signer.centre + signer.scale * pose
    jitter = np.full(NUM_JOINTS, HAND_JITTER_PX)
    jitter[:NUM_BODY_JOINTS] = BODY_JITTER_PX
    keypoint += rng.normal(size=keypoint.shape) * jitter[:, None]
    mean = np.full(NUM_JOINTS, HAND_SCORE[0])
    std = np.full(NUM_JOINTS, HAND_SCORE[1])
    mean[:NUM_BODY_JOINTS], std[:NUM_BODY_JOINTS] = BODY_SCORE
    score = np.clip(mean + std * rng.normal(size=(num_frames, NUM_JOINTS)),
                    0.05, 1.0)
    lost = np.zeros((num_frames, NUM_JOINTS), bool)
    lost[:, :NUM_BODY_JOINTS] = rng.random(
        (num_frames, NUM_BODY_JOINTS)) < BODY_DROP_PROB
    other = LEFT_HAND_SLICE if not signer.left_handed else RIGHT_HAND_SLICE
    hidden = sign.kind == 'one-handed' and rng.random() < REST_HAND_HIDDEN
    for part in (LEFT_HAND_SLICE, RIGHT_HAND_SLICE):  # the two hands
        runs = _hand_runs(rng, num_frames) | (hidden and part == other)
        lost[:, part] |= runs[:, None]
    height, width = img_shape
    lost |= ((keypoint < 0) | (keypoint > [width - 1, height - 1])).any(-1)
    keypoint[lost] = 0
    score[lost] = 0
    return keypoint.astype(np.float32), score.astype(np.float32)


def synthesize_clip(
        sign: SignClass,
        signer: Signer,
        rng: np.random.Generator,
        img_shape: Tuple[int, int] = IMG_SHAPE,
        num_frames: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Draw one repetition of a sign by a signer.

    Args:
        sign (SignClass): The sign.
        signer (Signer): The signer.
        rng (np.random.Generator): Source of the repetition's variation
            and noise.
        img_shape (tuple[int, int]): Frame size (h, w) in pixels.
        num_frames (int, optional): Frames ``T`` of the clip (the whole
            sign, time-scaled); None draws ``T`` from the sign's duration
            and the signer's tempo (20 <= T <= 60). Defaults to None.

    Returns:
        tuple[np.ndarray, np.ndarray]: keypoint (1, T, 49, 2) and
        keypoint_score (1, T, 49), float32; undetected joints have score 0
        and coordinates 0.
    """
    if num_frames is None:
        num_frames = int(
            np.clip(
                round(sign.duration * signer.tempo * rng.uniform(0.9, 1.1)),
                MIN_FRAMES, MAX_FRAMES))
    t = np.linspace(0, 1, num_frames)**rng.uniform(0.8, 1.25)
    varied = sign._replace(
        dominant=sign.dominant._replace(
            path=sign.dominant.path +
            rng.normal(0, 0.08, sign.dominant.path.shape)))
    if sign.kind == 'symmetric':
        varied = varied._replace(
            other=varied.other._replace(path=varied.dominant.path))
    sway = 0.04 * np.sin(2 * np.pi *
                         (t[:, None] * rng.uniform(0.3, 0.8) + rng.random(2)))
    keypoint, score = _observe(
        _skeleton(varied, signer, t, sway), signer, sign, rng, img_shape)
    return keypoint[None], score[None]


def _reachable(points: np.ndarray) -> np.ndarray:
    """Pull control points (K, 2) into the right arm's reach."""
    shoulder = np.array([-1.0, 0.0])
    delta = points - shoulder
    dist = np.linalg.norm(delta, axis=-1, keepdims=True)
    limit = 0.9 * MAX_REACH * (UPPER_ARM + FOREARM)
    return shoulder + delta * np.minimum(1, limit / np.maximum(dist, 1e-6))


def _handshape(rng: np.random.Generator) -> np.ndarray:
    """(5,) finger curls from open / half / closed levels."""
    return np.clip(
        rng.choice([0.0, 0.5, 0.95], 5) + rng.normal(0, 0.04, 5), 0, 1)


def _active_motion(rng: np.random.Generator) -> HandMotion:
    """A random dominant-hand motion."""
    num_points = int(rng.integers(2, 5))
    path = np.stack([
        rng.uniform(-2.0, 0.8, num_points),
        rng.uniform(-1.6, 1.6, num_points)
    ], -1)
    start = _handshape(rng)
    end = _handshape(rng) if rng.random() < 0.5 else start
    tilt = rng.uniform(0, np.pi)
    shape = (
        np.ones(2) if rng.random() < 0.5 else  # circle, else a line
        np.array([np.cos(tilt), np.sin(tilt)]))
    amp = rng.uniform(0.0, 0.45) * shape
    return HandMotion(
        path=_reachable(path),
        osc_amp=amp,
        osc_freq=float(rng.integers(1, 4)),
        osc_phase=float(rng.uniform(0, 2 * np.pi)),
        bend=rng.uniform(-0.8, 0.8, 2),
        bend_osc=float(rng.uniform(0.25, 0.6)),
        palm=rng.uniform(0.0, 1.2, 2),
        curl=np.stack([start, end]),
        spread=rng.uniform(0.0, 0.5, 2),
        change_at=float(rng.uniform(0.35, 0.65)))


def _passive_motion(rng: np.random.Generator, rest: bool) -> HandMotion:
    """The other hand: resting low (idle sway) or a held base hand."""
    centre = (
        np.array([-0.5, 2.0])
        if rest else np.array([rng.uniform(-0.6, 0.2),
                               rng.uniform(0.3, 1.3)]))
    shape = (np.full(5, 0.35) if rest else _handshape(rng))
    return HandMotion(
        path=np.stack([centre, centre + rng.normal(0, 0.1, 2)]),
        osc_amp=np.full(2, rng.uniform(0.05, 0.12)),
        osc_freq=1.0,
        osc_phase=float(rng.uniform(0, 2 * np.pi)),
        bend=rng.uniform(-0.3, 0.3, 2),
        bend_osc=float(rng.uniform(0.25, 0.45)),
        palm=rng.uniform(0.0, 0.8, 2),
        curl=np.stack([shape,
                       np.clip(shape + rng.normal(0, 0.15, 5), 0, 1)]),
        spread=rng.uniform(0.0, 0.3, 2),
        change_at=0.5)


def make_classes(num_classes: int,
                 rng: np.random.Generator) -> List[SignClass]:
    """Draw the signs: 40% one-handed, 35% symmetric, 25% base-hand.

    Args:
        num_classes (int): Number of signs.
        rng (np.random.Generator): Source.

    Returns:
        list[SignClass]: The signs, label ``i`` = item ``i``.
    """
    classes = []
    for _ in range(num_classes):  # classes, not frames
        kind = rng.choice(['one-handed', 'symmetric', 'base-hand'],
                          p=[0.4, 0.35, 0.25])
        dominant = _active_motion(rng)
        if kind == 'symmetric':
            # alternating signs move the hands half a cycle apart
            other = dominant._replace(osc_phase=dominant.osc_phase +
                                      np.pi * rng.integers(0, 2))
        else:
            other = _passive_motion(rng, rest=kind == 'one-handed')
        classes.append(
            SignClass(dominant, other, str(kind), int(rng.integers(25, 48))))
    return classes


def make_signers(num_signers: int,
                 rng: np.random.Generator,
                 img_shape: Tuple[int, int] = IMG_SHAPE,
                 left_handed_ratio: float = 0.2) -> List[Signer]:
    """Draw the signers.

    Args:
        num_signers (int): Number of signers.
        rng (np.random.Generator): Source.
        img_shape (tuple[int, int]): Frame size (h, w) in pixels.
        left_handed_ratio (float): Probability that a signer is
            left-handed. Defaults to 0.2.

    Returns:
        list[Signer]: The signers.
    """
    height, width = img_shape
    base = min(height, width) / 7.7  # u of an average signer
    return [
        Signer(
            scale=float(base * rng.uniform(0.85, 1.15)),
            shoulder=float(rng.uniform(0.9, 1.1)),
            centre=np.array([
                width / 2 + rng.uniform(-0.06, 0.06) * width,
                height * rng.uniform(0.42, 0.47)
            ]),
            tempo=float(rng.uniform(0.8, 1.25)),
            amplitude=float(rng.uniform(0.9, 1.1)),
            offset=rng.uniform(-0.1, 0.1, 2),
            curl_bias=rng.normal(0, 0.05, 5),
            left_handed=bool(rng.random() < left_handed_ratio))
        for _ in range(num_signers)  # signers, not frames
    ]


def synthetic_frame_dir(label: int, signer: int, rep: int) -> str:
    """``synth_c<label:03d>_s<signer:02d>_r<rep>``."""
    return f'synth_c{label:03d}_s{signer:02d}_r{rep}'


def make_synthetic_signs(num_classes: int = 10,
                         signers: int = 8,
                         test_signers: int = 2,
                         reps: int = 3,
                         seed: int = 0,
                         img_shape: Tuple[int, int] = IMG_SHAPE,
                         left_handed_ratio: float = 0.2,
                         num_frames: Optional[int] = None) -> Dict:
    """Generate the synthetic sign-pose dataset.

    Args:
        num_classes (int): Signs (labels ``0..num_classes-1``). Defaults
            to 10.
        signers (int): Signers; each signs every class ``reps`` times.
            Defaults to 8.
        test_signers (int): The last ``test_signers`` signers form the test
            split (unseen in training). Defaults to 2.
        reps (int): Repetitions per signer and class. Defaults to 3.
        seed (int): Random seed; the output is a function of the arguments.
            Defaults to 0.
        img_shape (tuple[int, int]): Frame size (h, w) in pixels. Defaults
            to ``(480, 640)``.
        left_handed_ratio (float): Probability that a signer is
            left-handed. Defaults to 0.2.
        num_frames (int, optional): Frames of every clip; None draws each
            clip's length (20-60 frames, see :func:`synthesize_clip`).
            Defaults to None.

    Returns:
        dict: ``split`` (``train`` / ``test`` frame_dir lists),
        ``annotations`` (MMAction2 PoseDataset annotations with 49 joints,
        plus ``gloss``, ``signer`` and ``synthetic=True``) and ``meta``
        (``synthetic=True``, the generator and its arguments).

    Raises:
        ValueError: a count (or ``num_frames``) is not positive or
            ``test_signers`` leaves no training signer.
    """
    if min(num_classes, signers, reps) < 1 or not 0 <= test_signers < signers:
        raise ValueError(
            'need num_classes, signers, reps >= 1 and 0 <= test_signers < '
            f'signers, got num_classes={num_classes}, signers={signers}, '
            f'test_signers={test_signers}, reps={reps}')
    if num_frames is not None and num_frames < 1:
        raise ValueError(f'num_frames must be >= 1, got {num_frames}')
    classes = make_classes(num_classes, np.random.default_rng([seed, 0]))
    people = make_signers(signers, np.random.default_rng([seed, 1]), img_shape,
                          left_handed_ratio)
    annotations, split = [], dict(train=[], test=[])
    for s, signer in enumerate(people):  # clips, each vectorised over time
        part = 'test' if s >= signers - test_signers else 'train'
        for label, sign in enumerate(classes):
            for rep in range(reps):
                rng = np.random.default_rng([seed, 2, label, s, rep])
                keypoint, score = synthesize_clip(sign, signer, rng, img_shape,
                                                  num_frames)
                frame_dir = synthetic_frame_dir(label, s, rep)
                annotations.append(
                    dict(
                        frame_dir=frame_dir,
                        label=label,
                        gloss=f'synth_sign_{label:03d}',
                        signer=s,
                        img_shape=tuple(img_shape),
                        original_shape=tuple(img_shape),
                        total_frames=keypoint.shape[1],
                        keypoint=keypoint,
                        keypoint_score=score,
                        synthetic=True))
                split[part].append(frame_dir)
    meta = dict(
        synthetic=True,
        generator='mmaction_masa.datasets.converters.synthetic',
        description='procedurally generated sign poses (49 joints, pixels);'
        ' not real signing',
        num_classes=num_classes,
        signers=signers,
        test_signers=test_signers,
        reps=reps,
        seed=seed,
        img_shape=tuple(img_shape),
        left_handed_ratio=left_handed_ratio,
        num_frames=num_frames,
        classes=[sign.kind for sign in classes])
    return dict(split=split, annotations=annotations, meta=meta)
