import pytest
import torch

from mmaction.registry import MODELS
from mmaction_masa.models.backbones.masa_backbone import gather_visible
from mmaction_masa.models.heads.motion_prediction_head import \
    masked_motion_loss
from mmaction_masa.sign_layout import NUM_JOINTS


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    head = MODELS.build({**cfg, **kwargs})
    head.init_weights()
    return head


def _hand_built_batch():
    """Two samples, three frames, two joints; expected loss 35.5 / 3."""
    pred = torch.zeros(2, 3, 2, 2)
    target = torch.zeros(2, 3, 2, 2)
    weight = torch.zeros(2, 3, 2)
    mask = torch.tensor([[True, False, True], [False, True, False]])
    # Sample 0, frame 0: (1, 2) * 2 and (-1, -1) * 0.5 -> 4+16+.25+.25.
    pred[0, 0] = torch.tensor([[1., 2.], [0., 0.]])
    target[0, 0] = torch.tensor([[0., 0.], [1., 1.]])
    weight[0, 0] = torch.tensor([2., .5])
    # Sample 0, frame 1 is visible: a huge error that must not count.
    pred[0, 1] = 100.
    weight[0, 1] = 1.
    # Sample 0, frame 2: (0, 2) * 1 and (1, 0) * 3 -> 4 + 9.
    pred[0, 2] = torch.tensor([[3., 3.], [1., 0.]])
    target[0, 2] = torch.tensor([[3., 1.], [0., 0.]])
    weight[0, 2] = torch.tensor([1., 3.])
    # Sample 1, frame 1: (1, 0) * 1 and (0, .5) * 2 -> 1 + 1.
    pred[1, 1] = torch.tensor([[1., 0.], [0., .5]])
    weight[1, 1] = torch.tensor([1., 2.])
    return pred, target, weight, mask


def test_masked_motion_loss_matches_eq4_by_hand():
    pred, target, weight, mask = _hand_built_batch()
    loss = masked_motion_loss(pred, target, weight, mask)
    # (20.5 + 13 + 2) / |M| with |M| = 3 masked frames in the batch.
    torch.testing.assert_close(loss, torch.tensor(35.5 / 3))


def test_masked_motion_loss_no_masked_frames_is_zero_not_nan():
    pred, target, weight, _ = _hand_built_batch()
    pred.requires_grad_(True)
    loss = masked_motion_loss(pred, target, weight,
                              torch.zeros(2, 3, dtype=torch.bool))
    assert loss.item() == 0.0
    loss.backward()
    assert torch.all(pred.grad == 0)


def test_masked_motion_loss_is_float32_under_autocast():
    pred, target, weight, mask = _hand_built_batch()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        # All values are exact in bfloat16; the sum must still be float32.
        loss = masked_motion_loss(pred.bfloat16(), target.bfloat16(),
                                  weight.bfloat16(), mask)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, torch.tensor(35.5 / 3))


def test_forward_shapes(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg)
    visible = torch.tensor([[True, False, True, True, False, False],
                            [False, False, False, False, True, False]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(2, 3, 24)
    pred = head(tokens, padding_mask, frame_index, 6)
    assert pred.shape == (2, 6, NUM_JOINTS, 2)


def test_decoder_input_puts_tokens_back_in_frame_order(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg).eval()
    seen = []
    head.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    visible = torch.tensor([[False, True, False, True],
                            [True, False, False, False]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(2, 2, 24)
    head(tokens, padding_mask, frame_index, 4)
    full = seen[0] - head.pos_embed[:, :4]
    mask_token = head.mask_token[0, 0]
    torch.testing.assert_close(full[0, 1], tokens[0, 0])
    torch.testing.assert_close(full[0, 3], tokens[0, 1])
    torch.testing.assert_close(full[1, 0], tokens[1, 0])
    for b, t in [(0, 0), (0, 2), (1, 1), (1, 2), (1, 3)]:
        torch.testing.assert_close(full[b, t], mask_token)


def test_loss_supervises_only_masked_frames(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg).eval()
    mask = torch.tensor([[True, False, True, False, True]])
    frame_index, padding_mask = gather_visible(~mask)
    tokens = torch.randn(1, 2, 24)
    target = torch.randn(1, 5, NUM_JOINTS, 2)
    weight = torch.rand(1, 5, NUM_JOINTS)
    loss = head.loss(tokens, padding_mask, frame_index, mask, target, weight)
    pred = head(tokens, padding_mask, frame_index, 5)
    err = ((pred - target) * weight[..., None]).square().sum((2, 3))[0]
    torch.testing.assert_close(loss, err[[0, 2, 4]].sum() / 3)
    # Changing the targets of visible frames does not change the loss.
    target[0, [1, 3]] += 10
    torch.testing.assert_close(
        head.loss(tokens, padding_mask, frame_index, mask, target, weight),
        loss)


def test_joint_target_and_bad_target(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, target='joint')
    assert head.target == 'joint'
    with pytest.raises(ValueError, match="'motion' or 'joint'"):
        MODELS.build({**tiny_mask_head_cfg, 'target': 'pose'})


def test_rejects_long_clips(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg)
    frame_index, padding_mask = gather_visible(
        torch.ones(1, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match='max_frames=64'):
        head(torch.randn(1, 3, 24), padding_mask, frame_index, 65)


def test_light_decoder_projects_encoder_tokens(tiny_mask_head_cfg):
    head = _build(dict(tiny_mask_head_cfg, decoder_dims=16)).eval()
    assert isinstance(head.input_proj, torch.nn.Linear)
    assert head.mask_token.shape == (1, 1, 16)
    assert head.decoder.layers[0].linear1.in_features == 16
    seen = []
    head.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    visible = torch.tensor([[False, True, False, True]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(1, 2, 24)
    pred = head(tokens, padding_mask, frame_index, 4)
    assert pred.shape == (1, 4, NUM_JOINTS, 2)
    full = seen[0] - head.pos_embed[:, :4]
    torch.testing.assert_close(full[0, 1], head.input_proj(tokens[0, 0]))
    torch.testing.assert_close(full[0, 0], head.mask_token[0, 0])
    # Without decoder_dims the tokens enter the decoder unchanged.
    assert isinstance(_build(tiny_mask_head_cfg).input_proj,
                      torch.nn.Identity)
