import pytest
import torch

from mmaction.registry import MODELS
from mmaction_masa.models.backbones.masa_backbone import gather_visible
from mmaction_masa.sign_layout import NUM_JOINTS


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    head = MODELS.build({**cfg, **kwargs})
    head.init_weights()
    return head


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
    # Eq. 4 with the default unit (target / 128, mean over the 49 x 2
    # coordinates), one sample.
    err = ((pred - target / 128) * weight[..., None]).square().mean((2, 3))[0]
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


def test_padding_frames_are_hidden_from_the_decoder(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg).eval()
    visible = torch.tensor([[True, False, True, False, False]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(1, 2, 24)
    padding = torch.tensor([[False, False, False, True, True]])
    pred = head(tokens, padding_mask, frame_index, 5, padding)
    # The real frames' predictions are those of the 3-frame clip alone.
    short = head(tokens, padding_mask, frame_index, 3)
    torch.testing.assert_close(pred[:, :3], short)


def test_relu_output_switch(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, output_act='relu').eval()
    frame_index, padding_mask = gather_visible(
        torch.ones(1, 4, dtype=torch.bool))
    pred = head(torch.randn(1, 4, 24), padding_mask, frame_index, 4)
    assert pred.min() >= 0
    assert isinstance(head.predictor[-1], torch.nn.ReLU)
    with pytest.raises(ValueError, match='output_act'):
        MODELS.build({**tiny_mask_head_cfg, 'output_act': 'tanh'})


def test_multi_scale_head_predicts_every_scale(tiny_mask_head_cfg):
    head = _build(tiny_mask_head_cfg, num_scales=3).eval()
    frame_index, padding_mask = gather_visible(
        torch.tensor([[True, False, True, False]]))
    pred = head(torch.randn(1, 2, 24), padding_mask, frame_index, 4)
    assert pred.shape == (1, 4, NUM_JOINTS, 6)
