import pytest
import torch

from mmaction.registry import MODELS
from mmaction_masa.models.backbones.masa_backbone import gather_visible
from mmaction_masa.models.utils import sinusoid_table


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    neck = MODELS.build({**cfg, **kwargs})
    neck.init_weights()
    return neck


def test_forward_shapes(tiny_neck_cfg):
    neck = _build(tiny_neck_cfg)
    visible = torch.tensor([[True, False, True, True, False, False],
                            [False, False, False, False, True, False]])
    frame_index, padding_mask = gather_visible(visible)
    feats = neck(torch.randn(2, 3, 24), padding_mask, frame_index, 6)
    assert feats.shape == (2, 6, 24)
    assert neck.out_channels == 24


def test_decoder_input_puts_tokens_back_in_frame_order(tiny_neck_cfg):
    neck = _build(tiny_neck_cfg).eval()
    seen = []
    neck.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    visible = torch.tensor([[False, True, False, True],
                            [True, False, False, False]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(2, 2, 24)
    neck(tokens, padding_mask, frame_index, 4)
    full = seen[0] - neck.pos_embed[:, :4]
    mask_token = neck.mask_token[0, 0]
    torch.testing.assert_close(full[0, 1], tokens[0, 0])
    torch.testing.assert_close(full[0, 3], tokens[0, 1])
    torch.testing.assert_close(full[1, 0], tokens[1, 0])
    for b, t in [(0, 0), (0, 2), (1, 1), (1, 2), (1, 3)]:
        torch.testing.assert_close(full[b, t], mask_token)


def test_sincos_position_embedding_is_added_fixed(tiny_neck_cfg):
    neck = _build(tiny_neck_cfg, pos_embed_type='sincos').eval()
    seen = []
    neck.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    visible = torch.tensor([[True, False, True]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(1, 2, 24)
    neck(tokens, padding_mask, frame_index, 3).sum().backward()
    table = sinusoid_table(3, 24)[0]
    # Frame 1: the mask token; at t = 0 the table is (0, 1, 0, 1, ...).
    torch.testing.assert_close(seen[0][0, 0],
                               tokens[0, 0] + torch.tensor([0., 1.] * 12))
    torch.testing.assert_close(seen[0][0, 1], neck.mask_token[0, 0] + table[1])
    torch.testing.assert_close(seen[0][0, 2], tokens[0, 1] + table[2])
    assert neck.mask_token.grad is not None
    assert 'pos_embed' not in neck.state_dict()


def test_rejects_long_clips(tiny_neck_cfg):
    neck = _build(tiny_neck_cfg)
    frame_index, padding_mask = gather_visible(
        torch.ones(1, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match='max_frames=64'):
        neck(torch.randn(1, 3, 24), padding_mask, frame_index, 65)


def test_light_decoder_projects_encoder_tokens(tiny_neck_cfg):
    neck = _build(dict(tiny_neck_cfg, decoder_dims=16)).eval()
    assert isinstance(neck.input_proj, torch.nn.Linear)
    assert neck.mask_token.shape == (1, 1, 16)
    assert neck.out_channels == 16
    assert neck.decoder.layers[0].linear1.in_features == 16
    seen = []
    neck.decoder.register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    visible = torch.tensor([[False, True, False, True]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(1, 2, 24)
    assert neck(tokens, padding_mask, frame_index, 4).shape == (1, 4, 16)
    full = seen[0] - neck.pos_embed[:, :4]
    torch.testing.assert_close(full[0, 1], neck.input_proj(tokens[0, 0]))
    torch.testing.assert_close(full[0, 0], neck.mask_token[0, 0])
    # Without decoder_dims the tokens enter the decoder unchanged.
    assert isinstance(_build(tiny_neck_cfg).input_proj, torch.nn.Identity)


def test_padding_frames_are_hidden_from_the_decoder(tiny_neck_cfg):
    neck = _build(tiny_neck_cfg).eval()
    visible = torch.tensor([[True, False, True, False, False]])
    frame_index, padding_mask = gather_visible(visible)
    tokens = torch.randn(1, 2, 24)
    padding = torch.tensor([[False, False, False, True, True]])
    feats = neck(tokens, padding_mask, frame_index, 5, padding)
    # The real frames' tokens are those of the 3-frame clip alone.
    short = neck(tokens, padding_mask, frame_index, 3)
    torch.testing.assert_close(feats[:, :3], short)
