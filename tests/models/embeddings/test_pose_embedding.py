import numpy as np
import pytest
import torch

from mmaction_masa.models.embeddings import pose_embedding
from mmaction_masa.models.embeddings.pose_embedding import (BODY_GROUPS,
                                                            HAND_GROUPS,
                                                            GraphConv,
                                                            PoseEmbedding,
                                                            group_adjacency)
from mmaction_masa.sign_layout import (BODY_INDEX, NUM_BODY_JOINTS,
                                       NUM_HAND_JOINTS, NUM_JOINTS,
                                       PART_SLICES, part_adjacency)

TINY = dict(
    joint_channels=(8, 8, 12), group_channels=(16, 16), part_channels=8)


def test_hand_groups_are_palm_and_fingers():
    assert HAND_GROUPS == ((0, 1, 5, 9, 13, 17), (2, 3, 4), (6, 7, 8),
                           (10, 11, 12), (14, 15, 16), (18, 19, 20))
    joints = sorted(j for group in HAND_GROUPS for j in group)
    assert joints == list(range(NUM_HAND_JOINTS))  # a partition


def test_body_groups_are_nose_and_arms():
    arm = ('shoulder', 'elbow', 'wrist')
    left = tuple(BODY_INDEX[f'left_{j}'] for j in arm)
    right = tuple(BODY_INDEX[f'right_{j}'] for j in arm)
    assert BODY_GROUPS == ((BODY_INDEX['nose'], ), left, right)
    joints = sorted(j for group in BODY_GROUPS for j in group)
    assert joints == list(range(NUM_BODY_JOINTS))


def group_index(groups):
    """The pooling index of ``PartGCN`` for ``groups``."""
    return pose_embedding._group_index(groups)


def test_group_index_pads_with_the_groups_own_joint():
    assert group_index(((0, 2), (1, ), (3, 4, 5))).tolist() == [[0, 2, 0],
                                                                [1, 1, 1],
                                                                [3, 4, 5]]


def test_group_max_pool_values_and_gradient_by_hand():
    # 4 joints, 2 channels; groups {0, 2}, {1}, {3}.
    index = group_index(((0, 2), (1, ), (3, )))
    x = torch.tensor([[[1., -1.], [5., 0.], [3., 2.], [2., 7.]]],
                     requires_grad=True)
    out = pose_embedding.group_max_pool(x, index)
    assert out.tolist() == [[[3., 2.], [5., 0.], [2., 7.]]]
    weight = torch.tensor([[[10., 20.], [30., 40.], [50., 60.]]])
    (out * weight).sum().backward()
    # Each output's gradient reaches its maximal joint only.
    assert x.grad.tolist() == [[[0., 0.], [30., 40.], [10., 20.], [50., 60.]]]
    with torch.no_grad():
        assert torch.equal(pose_embedding.group_max_pool(x, index), out)


def test_group_max_pool_tie_gets_the_gradient_once():
    index = group_index(((0, 1), ))
    x = torch.tensor([[[4.], [4.]]], requires_grad=True)
    pose_embedding.group_max_pool(x, index).sum().backward()
    assert sorted(x.grad.flatten().tolist()) == [0., 1.]


def test_hand_pooling_is_the_max_of_each_palm_and_finger():
    x = torch.randn(5, 21, 3, requires_grad=True)
    out = pose_embedding.group_max_pool(x, group_index(HAND_GROUPS))
    expected = torch.stack([x[:, list(g)].amax(1) for g in HAND_GROUPS], 1)
    assert torch.equal(out, expected)


def test_group_adjacency_body():
    adj = group_adjacency('body')
    assert adj.shape == (4, 3, 3) and adj.dtype == np.float32
    np.testing.assert_array_equal(adj[0], np.eye(3))
    # arms -> nose (inward), nose -> arms (outward, row-normalised), arms
    # linked to each other (symmetric).
    np.testing.assert_array_equal(adj[1], [[0, 0, 0], [1, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(adj[2], [[0, .5, .5], [0, 0, 0], [0, 0, 0]])
    np.testing.assert_array_equal(adj[3], [[0, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_group_adjacency_hand():
    adj = group_adjacency('hand')
    assert adj.shape == (4, 6, 6)
    np.testing.assert_array_equal(adj[1][1:, 0], np.ones(5))  # fingers->palm
    assert adj[1].sum() == 5
    np.testing.assert_allclose(adj[2][0, 1:], np.full(5, 0.2))
    sym = (adj[3] > 0).astype(int)
    expected = np.zeros((6, 6), int)
    for f in range(1, 5):  # neighbouring fingers only
        expected[f, f + 1] = expected[f + 1, f] = 1
    np.testing.assert_array_equal(sym, expected)
    np.testing.assert_allclose(adj.sum(-1)[0], np.ones(6))


def test_graph_conv_has_separate_weights_per_subset():
    torch.manual_seed(0)
    adj = part_adjacency('body')
    conv = GraphConv(3, 5, adj).eval()
    x = torch.randn(4, NUM_BODY_JOINTS, 3)
    weight = conv.linear.weight.reshape(5, 4, 3)  # (out, subset, in)
    a = torch.as_tensor(adj)
    expected = sum(a[k] @ x @ weight[:, k].T for k in range(4))
    expected = (expected + conv.linear.bias) / np.sqrt(1 + conv.bn.eps)
    torch.testing.assert_close(conv(x), expected.relu())


def test_shapes_and_leading_dims():
    torch.manual_seed(0)
    emb = PoseEmbedding(**TINY).eval()
    assert emb.embed_dims == 24
    x = torch.randn(2, 5, NUM_JOINTS, 3)
    out = emb(x)
    assert out.shape == (2, 5, 24)
    torch.testing.assert_close(
        emb(x.reshape(10, NUM_JOINTS, 3)), out.reshape(10, 24))


def test_frame_wise_no_temporal_mixing():
    torch.manual_seed(0)
    emb = PoseEmbedding(**TINY).eval()
    x = torch.randn(1, 6, NUM_JOINTS, 3)
    changed = x.clone()
    changed[0, 3] = torch.randn(NUM_JOINTS, 3)
    diff = (emb(x) - emb(changed)).abs().sum(-1)[0]
    assert diff[3] > 0
    assert torch.all(diff[[0, 1, 2, 4, 5]] == 0)


def test_token_is_right_hand_left_hand_body_with_shared_hand_gcn():
    torch.manual_seed(0)
    emb = PoseEmbedding(**TINY).eval()
    x = torch.randn(3, NUM_JOINTS, 3)
    swapped = x.clone()
    swapped[:, PART_SLICES['left_hand']] = x[:, PART_SLICES['right_hand']]
    swapped[:, PART_SLICES['right_hand']] = x[:, PART_SLICES['left_hand']]
    right, left, body = emb(x).split(8, dim=-1)
    s_right, s_left, s_body = emb(swapped).split(8, dim=-1)
    torch.testing.assert_close(s_right, left)
    torch.testing.assert_close(s_left, right)
    torch.testing.assert_close(s_body, body)
    # The default embeds (x, y) only (Eq. 1): the score channel is dropped.
    xy = x[..., :2]
    torch.testing.assert_close(right,
                               emb.hand_gcn(xy[:, PART_SLICES['right_hand']]))
    torch.testing.assert_close(body, emb.body_gcn(xy[:, PART_SLICES['body']]))


def test_missing_joints_do_not_break_training_mode():
    emb = PoseEmbedding(**TINY)
    x = torch.zeros(4, NUM_JOINTS, 3)  # every joint missing
    out = emb(x)
    assert out.shape == (4, 24) and torch.isfinite(out).all()
    out.sum().backward()


def test_paper_default_sizes():
    emb = PoseEmbedding()
    assert emb.embed_dims == 1536
    # Eq. 1: x_i in R^{N x 2}, the released code's 2 input channels.
    assert emb.in_channels == 2
    assert emb.hand_gcn.data_bn.num_features == NUM_HAND_JOINTS * 2
    assert emb.body_gcn.data_bn.num_features == NUM_BODY_JOINTS * 2
    widths = [c.linear.out_features for c in emb.hand_gcn.joint_gcn]
    assert widths == [128, 128, 256]
    widths = [c.linear.out_features for c in emb.hand_gcn.group_gcn]
    assert widths == [512, 512]
    assert emb.hand_gcn.out[3].p == pytest.approx(0.25)
    out = emb.eval()(torch.randn(2, 3, NUM_JOINTS, 3))
    assert out.shape == (2, 3, 1536)


def test_score_switch_embeds_three_channels():
    torch.manual_seed(0)
    emb = PoseEmbedding(**TINY, in_channels=3).eval()
    assert emb.hand_gcn.data_bn.num_features == NUM_HAND_JOINTS * 3
    x = torch.randn(2, NUM_JOINTS, 3)
    changed = x.clone()
    changed[..., 2] += 1
    # With the score switch on, the score changes the token; without, not.
    assert not torch.allclose(emb(x), emb(changed))
    xy_only = PoseEmbedding(**TINY).eval()
    torch.testing.assert_close(xy_only(x), xy_only(changed))
    with pytest.raises(ValueError, match='in_channels=3'):
        emb(x[..., :2])
