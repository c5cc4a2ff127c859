"""The 49-joint layout: indices, parts, names and graphs."""
import numpy as np
import pytest

from mmaction_masa import sign_layout as sl


def test_indices_and_part_slices():
    assert len(sl.COCO_WHOLEBODY_INDICES) == sl.NUM_JOINTS == 49
    assert sl.COCO_WHOLEBODY_INDICES[:7] == (0, 5, 6, 7, 8, 9, 10)
    assert sl.COCO_WHOLEBODY_INDICES[7] == 91  # left hand root
    assert sl.COCO_WHOLEBODY_INDICES[28] == 112  # right hand root
    covered = np.concatenate(
        [np.arange(49)[s] for s in sl.PART_SLICES.values()])
    np.testing.assert_array_equal(np.sort(covered), np.arange(49))


def test_names_come_from_mmpose_metainfo():
    names = sl.sign_joint_names()
    assert names[:7] == [
        'nose', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
        'left_wrist', 'right_wrist'
    ]
    assert names[sl.LEFT_HAND_SLICE][0] == 'left_hand_root'
    assert names[sl.RIGHT_HAND_SLICE][4] == 'right_thumb4'
    assert names[sl.RIGHT_HAND_SLICE][20] == 'right_pinky_finger4'
    for name, index in sl.BODY_INDEX.items():
        assert names[index] == name


def test_bones_form_one_tree_over_49_joints():
    bones = np.array(sl.SIGN_BONES)
    assert len(bones) == 48  # a tree: V - 1 edges
    assert len(sl.HAND_BONES) == 20 and len(sl.HAND_SYM_EDGES) == 16
    parent = dict(map(tuple, bones))
    for joint in range(1, 49):  # every joint reaches the nose (root 0)
        seen = 0
        while joint != 0:
            joint = parent[joint]
            seen += 1
            assert seen < 49


def test_graph_layout_builds_mmaction_graph():
    import mmaction_masa  # noqa: F401  (stack fixes before mmaction.models)
    from mmaction.models.utils import Graph
    graph = Graph(layout=sl.SIGN_GRAPH_LAYOUT, mode='spatial')
    assert graph.A.shape == (3, 49, 49)


@pytest.mark.parametrize('part,num', [('hand', 21), ('body', 7)])
def test_part_adjacency(part, num):
    adj = sl.part_adjacency(part)
    assert adj.shape == (4, num, num) and adj.dtype == np.float32
    np.testing.assert_array_equal(adj[0], np.eye(num))
    rows = adj.sum(-1)
    assert np.all((np.isclose(rows, 1)) | (rows == 0))
    # inward and outward subsets are transposes of each other's pattern
    np.testing.assert_array_equal(adj[1] > 0, (adj[2] > 0).T)
    np.testing.assert_array_equal(adj[3] > 0, (adj[3] > 0).T)


def test_part_adjacency_rejects_unknown_part():
    with pytest.raises(ValueError, match='leg'):
        sl.part_adjacency('leg')
