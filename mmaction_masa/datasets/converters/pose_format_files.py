"""``.pose`` files of the ``pose-format`` library -> 49 sign joints.

``pose-format`` (``pip install pose-format``) stores a header (frame size,
components with their point names) and a body ``data`` ``(T, P, N, D)``
with ``confidence`` ``(T, P, N)``. Its MediaPipe Holistic files
(``video_to_pose --format mediapipe``) have the components
``POSE_LANDMARKS`` (33 points, pixel ``x, y`` and ``z``, confidence = the
landmark's visibility), ``FACE_LANDMARKS``, ``LEFT_HAND_LANDMARKS`` and
``RIGHT_HAND_LANDMARKS`` (21 points each, confidence 1 where found, 0 where
not) and ``POSE_WORLD_LANDMARKS``. The sign joints are looked up by point
name: the pose's nose, shoulders, elbows and wrists (MediaPipe pose 0,
11-16 = COCO-WholeBody 0, 5-10) and both hands' 21 points in MediaPipe's
order (= COCO-WholeBody's). Person 0 is kept.
"""
from pathlib import Path
from typing import Dict, List, Union

import numpy as np

from .records import PoseTrack

__all__ = [
    'POSE_FORMAT_BODY_POINTS', 'POSE_FORMAT_HAND_COMPONENTS',
    'POSE_FORMAT_INSTALL_HINT', 'pose_format_indices', 'read_pose_format'
]

#: ``POSE_LANDMARKS`` point names of the 7 body joints, in project order.
POSE_FORMAT_BODY_POINTS = ('NOSE', 'LEFT_SHOULDER', 'RIGHT_SHOULDER',
                           'LEFT_ELBOW', 'RIGHT_ELBOW', 'LEFT_WRIST',
                           'RIGHT_WRIST')
#: Components of the left and right hand (21 points each).
POSE_FORMAT_HAND_COMPONENTS = ('LEFT_HAND_LANDMARKS', 'RIGHT_HAND_LANDMARKS')
#: What to install to read ``.pose`` files.
POSE_FORMAT_INSTALL_HINT = ('pip install pose-format==0.15.0 (installed by '
                            'tools/setup_env.sh)')


def pose_format_indices(components: Dict[str, List[str]],
                        source: str = '') -> np.ndarray:
    """Indices of the 49 sign joints among a header's points.

    Args:
        components (dict[str, list[str]]): Component name -> point names,
            in the header's order (point indices run over the components
            one after the other).
        source (str): File name for error messages. Defaults to ''.

    Returns:
        np.ndarray: ``(49,)`` int64 indices into the ``N`` points.

    Raises:
        ValueError: a needed component or point is missing, or a hand does
            not have 21 points.
    """
    offsets, start = {}, 0
    for name, points in components.items():
        offsets[name] = start
        start += len(points)
    needed = ('POSE_LANDMARKS', ) + POSE_FORMAT_HAND_COMPONENTS
    missing = [name for name in needed if name not in components]
    if missing:
        raise ValueError(
            f'{source}: field "header.components" lacks {missing}; expected '
            f'the MediaPipe Holistic components {list(needed)}, got '
            f'{list(components)}')
    body = components['POSE_LANDMARKS']
    absent = [p for p in POSE_FORMAT_BODY_POINTS if p not in body]
    if absent:
        raise ValueError(f'{source}: component POSE_LANDMARKS lacks the '
                         f'points {absent}')
    index = [
        offsets['POSE_LANDMARKS'] + body.index(p)
        for p in POSE_FORMAT_BODY_POINTS
    ]
    for hand in POSE_FORMAT_HAND_COMPONENTS:
        if len(components[hand]) != 21:
            raise ValueError(f'{source}: component {hand} has '
                             f'{len(components[hand])} points, expected 21')
        index += range(offsets[hand], offsets[hand] + 21)
    return np.array(index, np.int64)


def read_pose_format(path: Union[str, Path]) -> PoseTrack:
    """One ``.pose`` file's signer (person 0) as 49 sign joints.

    Args:
        path (str | Path): The ``.pose`` file.

    Returns:
        PoseTrack: ``(T, 49, 2)`` pixel coordinates, ``(T, 49)`` confidence
        (0 where masked) and the header's ``(height, width)``.

    Raises:
        ImportError: ``pose-format`` is not installed.
        ValueError: the file cannot be parsed or lacks the Holistic
            components.
    """
    try:
        from pose_format import Pose
    except ImportError as exc:
        raise ImportError(f'{path}: reading .pose files needs pose-format: '
                          f'{POSE_FORMAT_INSTALL_HINT}') from exc
    try:
        pose = Pose.read(Path(path).read_bytes())
    except Exception as exc:  # the library raises struct / value errors
        raise ValueError(f'{path}: not a readable pose-format file '
                         f'({type(exc).__name__}: {exc})') from exc
    components = {c.name: list(c.points) for c in pose.header.components}
    index = pose_format_indices(components, str(path))
    data = np.ma.getdata(pose.body.data)
    if data.ndim != 4 or data.shape[1] == 0 or data.shape[-1] < 2:
        raise ValueError(f'{path}: field "body.data" has shape {data.shape}; '
                         'expected (frames, people >= 1, points, dims >= 2)')
    keypoint = np.nan_to_num(data[:, 0, index, :2]).astype(np.float32)
    score = np.nan_to_num(np.asarray(
        pose.body.confidence)[:, 0, index]).astype(np.float32)
    masked = np.ma.getmaskarray(pose.body.data)[:, 0, index].any(-1)
    score[masked] = 0
    keypoint[score <= 0] = 0
    dims = pose.header.dimensions
    return PoseTrack(keypoint, score, (int(dims.height), int(dims.width)))
