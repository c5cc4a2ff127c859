"""The one definition of MASA's 49-joint sign layout.

Joint order (0-based, the order of every ``(..., 49, ...)`` array in the
project): 7 upper-body joints, 21 left-hand joints, 21 right-hand joints,
taken from COCO-WholeBody's 133 keypoints at :data:`COCO_WHOLEBODY_INDICES`::

    0 nose, 1 left_shoulder, 2 right_shoulder, 3 left_elbow, 4 right_elbow,
    5 left_wrist, 6 right_wrist, 7..27 left hand, 28..48 right hand

Hands follow the COCO-WholeBody / MediaPipe order: 0 wrist, 1-4 thumb,
5-8 index, 9-12 middle, 13-16 ring, 17-20 little finger.

Everything that needs joint indices, part slices, names or graph edges
imports them from here.
"""
import os.path as osp
from functools import lru_cache
from importlib.util import find_spec
from typing import Dict, List, Tuple

import numpy as np

__all__ = [
    'NUM_JOINTS', 'NUM_WHOLEBODY_JOINTS', 'COCO_WHOLEBODY_INDICES',
    'BODY_SLICE', 'LEFT_HAND_SLICE', 'RIGHT_HAND_SLICE', 'PART_SLICES',
    'NUM_BODY_JOINTS', 'NUM_HAND_JOINTS', 'BODY_INDEX', 'HAND_BONES',
    'HAND_SYM_EDGES', 'BODY_BONES', 'BODY_SYM_EDGES', 'SIGN_BONES',
    'SIGN_GRAPH_LAYOUT', 'MIRROR_INDEX', 'TOKEN_PARTS', 'JOINT_TOKEN_PART',
    'part_adjacency', 'sign_joint_names', 'load_wholebody_metainfo'
]

NUM_WHOLEBODY_JOINTS = 133
NUM_BODY_JOINTS = 7
NUM_HAND_JOINTS = 21
NUM_JOINTS = NUM_BODY_JOINTS + 2 * NUM_HAND_JOINTS

#: COCO-WholeBody indices of the 49 sign joints, in project order.
COCO_WHOLEBODY_INDICES: Tuple[int, ...] = (0, 5, 6, 7, 8, 9, 10) + tuple(
    range(91, 133))

BODY_SLICE = slice(0, NUM_BODY_JOINTS)
LEFT_HAND_SLICE = slice(NUM_BODY_JOINTS, NUM_BODY_JOINTS + NUM_HAND_JOINTS)
RIGHT_HAND_SLICE = slice(NUM_BODY_JOINTS + NUM_HAND_JOINTS, NUM_JOINTS)
#: Part name -> slice of the 49 joints.
PART_SLICES: Dict[str, slice] = dict(
    body=BODY_SLICE, left_hand=LEFT_HAND_SLICE, right_hand=RIGHT_HAND_SLICE)

#: Named body joints inside the body part (indices into the 49 joints).
BODY_INDEX: Dict[str, int] = dict(
    nose=0,
    left_shoulder=1,
    right_shoulder=2,
    left_elbow=3,
    right_elbow=4,
    left_wrist=5,
    right_wrist=6)

#: Hand bones (child, parent) in hand-local indices, parent nearer the wrist.
HAND_BONES: Tuple[Tuple[int, int], ...] = tuple(
    (base + j + 1, base + j if j else 0) for base in (0, 4, 8, 12, 16)
    for j in range(4))
#: Edges between the same joint level of adjacent fingers (hand-local).
HAND_SYM_EDGES: Tuple[Tuple[int, int], ...] = tuple(
    (level + 4 * (f + 1), level + 4 * f) for level in range(1, 5)
    for f in range(4))

#: Body bones (child, parent) in body-local indices (= 49-joint indices).
BODY_BONES: Tuple[Tuple[int, int],
                  ...] = ((1, 0), (2, 0), (3, 1), (4, 2), (5, 3), (6, 4))
#: Left/right symmetric body joints.
BODY_SYM_EDGES: Tuple[Tuple[int, int], ...] = ((1, 2), (3, 4), (5, 6))
#: The parts of a frame token of ``PoseEmbedding``, in token order (each
#: ``part_channels`` wide).
TOKEN_PARTS: Tuple[str, ...] = ('right_hand', 'left_hand', 'body')
#: Index in :data:`TOKEN_PARTS` of the part of each of the 49 joints.
JOINT_TOKEN_PART: Tuple[int, ...] = (2, ) * NUM_BODY_JOINTS + (
    1, ) * NUM_HAND_JOINTS + (0, ) * NUM_HAND_JOINTS
#: The joint that takes each joint's place in a left/right mirrored pose:
#: the nose stays, the symmetric body joints and the two hands swap.
MIRROR_INDEX: Tuple[int, ...] = (0, 2, 1, 4, 3, 6, 5) + tuple(
    range(RIGHT_HAND_SLICE.start, RIGHT_HAND_SLICE.stop)) + tuple(
        range(LEFT_HAND_SLICE.start, LEFT_HAND_SLICE.stop))


def _sign_bones() -> Tuple[Tuple[int, int], ...]:
    """All bones of the 49-joint skeleton as (child, parent) pairs."""
    left0, right0 = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
    hands = [(c + off, p + off) for off in (left0, right0)
             for c, p in HAND_BONES]
    wrists = [(left0, BODY_INDEX['left_wrist']),
              (right0, BODY_INDEX['right_wrist'])]
    return tuple(list(BODY_BONES) + wrists + hands)


#: Every bone of the 49-joint skeleton: body chain, hand roots attached to
#: the body wrists, and both hands' 21-joint trees.
SIGN_BONES: Tuple[Tuple[int, int], ...] = _sign_bones()

#: The sign skeleton as an MMAction2 ``Graph`` layout dict (``graph_cfg``).
SIGN_GRAPH_LAYOUT: Dict = dict(
    num_node=NUM_JOINTS, inward=list(SIGN_BONES), center=0)


def part_adjacency(part: str) -> np.ndarray:
    """Adjacency subsets of one part's graph for a part GCN.

    Args:
        part (str): ``'hand'`` (21 joints) or ``'body'`` (7 joints).

    Returns:
        np.ndarray: ``(4, V, V)`` float32 row-normalised subsets: self,
        towards the root (wrist / nose), away from the root, symmetric edges.
    """
    if part == 'hand':
        num, bones, sym = NUM_HAND_JOINTS, HAND_BONES, HAND_SYM_EDGES
    elif part == 'body':
        num, bones, sym = NUM_BODY_JOINTS, BODY_BONES, BODY_SYM_EDGES
    else:
        raise ValueError(f"part must be 'hand' or 'body', got {part!r}")
    adj = np.zeros((4, num, num), dtype=np.float32)
    adj[0] = np.eye(num, dtype=np.float32)
    child, parent = np.array(bones).T
    adj[1, child, parent] = 1
    adj[2, parent, child] = 1
    a, b = np.array(sym).T
    adj[3, a, b] = adj[3, b, a] = 1
    degree = adj.sum(-1, keepdims=True)
    return adj / np.maximum(degree, 1)


@lru_cache(maxsize=1)
def load_wholebody_metainfo() -> Dict:
    """COCO-WholeBody metainfo from mmpose's dataset config.

    The file is read as a plain config so that the mmpose package (which
    needs full mmcv for its models) is never imported.

    Returns:
        dict: with ``keypoint_info`` (133 entries with ``name``) and
        ``skeleton_info``.

    Raises:
        ImportError: mmpose is not installed.
    """
    from mmengine.config import Config
    spec = find_spec('mmpose')
    if spec is None or not spec.submodule_search_locations:
        raise ImportError('mmpose is not installed; run tools/setup_env.sh '
                          '(pip install --no-deps mmpose==1.3.2)')
    path = osp.join(spec.submodule_search_locations[0], '.mim', 'configs',
                    '_base_', 'datasets', 'coco_wholebody.py')
    if not osp.isfile(path):
        raise ImportError(f'mmpose COCO-WholeBody metainfo missing: {path}')
    return Config.fromfile(path)['dataset_info'].to_dict()


def sign_joint_names() -> List[str]:
    """Names of the 49 sign joints, from mmpose's COCO-WholeBody metainfo."""
    info = load_wholebody_metainfo()['keypoint_info']
    return [info[i]['name'] for i in COCO_WHOLEBODY_INDICES]
