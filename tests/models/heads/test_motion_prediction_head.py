import pytest
import torch

from mmaction.registry import MODELS
from mmaction_masa.sign_layout import JOINT_TOKEN_PART, NUM_JOINTS


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    head = MODELS.build({**cfg, **kwargs})
    head.init_weights()
    return head


def test_forward_shapes(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg)
    assert head(torch.randn(2, 6, 24)).shape == (2, 6, NUM_JOINTS, 2)


def test_loss_supervises_only_masked_frames(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg).eval()
    assert head.target_fields == ('motion_target', 'motion_weight')
    mask = torch.tensor([[True, False, True, False, True]])
    feats = torch.randn(1, 5, 24)
    pose = torch.randn(1, 5, NUM_JOINTS, 3)
    target = torch.randn(1, 5, NUM_JOINTS, 2)
    weight = torch.rand(1, 5, NUM_JOINTS)
    fields = dict(motion_target=target, motion_weight=weight)
    loss = head.loss(feats, pose, fields, mask)
    pred = head(feats)
    # Eq. 4 with the default unit (target / 128, mean over the 49 x 2
    # coordinates), one sample.
    err = ((pred - target / 128) * weight[..., None]).square().mean((2, 3))[0]
    torch.testing.assert_close(loss, err[[0, 2, 4]].sum() / 3)
    # Changing the targets of visible frames does not change the loss.
    target[0, [1, 3]] += 10
    torch.testing.assert_close(head.loss(feats, pose, fields, mask), loss)


def test_joint_target_is_the_input_joints(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, target='joint')
    assert head.target_fields == ('joint_weight', )
    pose = torch.randn(1, 4, NUM_JOINTS, 3)
    weight = torch.rand(1, 4, NUM_JOINTS)
    mask = torch.tensor([[False, True, True, False]])
    target, joint_weight, frames = head.construct_target(
        pose, dict(joint_weight=weight), mask)
    torch.testing.assert_close(target, pose[..., :2])
    assert joint_weight is weight and frames is mask
    with pytest.raises(ValueError, match="'motion', 'joint'"):
        MODELS.build({**tiny_mask_head_cfg, 'target': 'pose'})


def test_per_part_mask_weights_the_masked_parts_joints(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg)
    weight = torch.ones(1, 3, NUM_JOINTS)
    # Frame 0: part 0 masked; frame 1: nothing; frame 2: parts 1 and 2.
    mask = torch.tensor([[[True, False, False], [False, False, False],
                          [False, True, True]]])
    fields = dict(
        motion_target=torch.zeros(1, 3, NUM_JOINTS, 2), motion_weight=weight)
    _, part_weight, frames = head.construct_target(
        torch.zeros(1, 3, NUM_JOINTS, 3), fields, mask)
    part = torch.tensor(JOINT_TOKEN_PART)
    assert frames.tolist() == [[True, False, True]]
    assert part_weight[0, 0].tolist() == (part == 0).float().tolist()
    assert part_weight[0, 1].sum() == 0
    assert part_weight[0, 2].tolist() == (part != 0).float().tolist()


def test_relu_output_switch(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, output_act='relu').eval()
    assert head(torch.randn(1, 4, 24)).min() >= 0
    assert isinstance(head.predictor[-1], torch.nn.ReLU)
    with pytest.raises(ValueError, match='output_act'):
        MODELS.build({**tiny_mask_head_cfg, 'output_act': 'tanh'})


def test_multi_scale_head_predicts_every_scale(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, num_scales=3).eval()
    assert head(torch.randn(1, 4, 24)).shape == (1, 4, NUM_JOINTS, 6)
