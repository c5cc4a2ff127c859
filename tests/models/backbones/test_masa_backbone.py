import math

import pytest
import torch
from mmengine.registry import init_default_scope

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction_masa.models.backbones.masa_backbone import gather_visible
from mmaction_masa.models.utils import sinusoid_table
from mmaction_masa.sign_layout import NUM_JOINTS


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    model = MODELS.build({**cfg, **kwargs})
    model.init_weights()
    return model


class _Recorder:
    """Forward pre-hook remembering the inputs a module receives."""

    def __init__(self, module):
        self.calls = []
        module.register_forward_pre_hook(self._hook, with_kwargs=True)

    def _hook(self, module, args, kwargs):
        self.calls.append((args, kwargs))


def test_gather_visible_left_aligns_in_order():
    visible = torch.tensor([[False, True, False, True, True],
                            [True, False, False, False, False]])
    frame_index, padding_mask = gather_visible(visible)
    assert frame_index.tolist() == [[1, 3, 4], [0, 0, 0]]
    assert padding_mask.tolist() == [[False, False, False],
                                     [False, True, True]]


def test_forward_feeds_gcn_head_layout(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg)
    out = backbone(torch.randn(2, 3, 7, NUM_JOINTS, 3))
    assert out.shape == (2, 3, 24, 7, 1)


def test_forward_tokens_all_frames(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg)
    tokens, padding_mask, frame_index = backbone.forward_tokens(
        torch.randn(2, 5, NUM_JOINTS, 3))
    assert tokens.shape == (2, 5, 24)
    assert not padding_mask.any()
    assert frame_index.tolist() == [list(range(5))] * 2


def test_encoder_sees_only_visible_frames(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg).eval()
    embed_calls = _Recorder(backbone.embedding)
    encoder_calls = _Recorder(backbone.encoder)
    visible = torch.zeros(3, 10, dtype=torch.bool)
    visible[0, [2, 5, 7]] = True
    visible[1, [0, 9]] = True
    visible[2, 4] = True
    tokens, padding_mask, frame_index = backbone.forward_tokens(
        torch.randn(3, 10, NUM_JOINTS, 3), visible)
    # Only the 6 visible frames are embedded ...
    (frames, ), _ = embed_calls.calls[0]
    assert frames.shape == (6, NUM_JOINTS, 3)
    # ... and the encoder gets 3 tokens per sample, 6 of them real.
    (src, ), kwargs = encoder_calls.calls[0]
    assert src.shape == (3, 3, 24)
    mask = kwargs['src_key_padding_mask']
    assert int((~mask).sum()) == 6
    assert mask.tolist() == [[False, False, False], [False, False, True],
                             [False, True, True]]
    assert tokens.shape == (3, 3, 24)
    torch.testing.assert_close(padding_mask, mask)
    assert frame_index.tolist() == [[2, 5, 7], [0, 9, 0], [4, 0, 0]]
    assert torch.all(tokens[padding_mask] == 0)


def test_padding_is_hidden_from_attention(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg).eval()
    x = torch.randn(2, 8, NUM_JOINTS, 3)
    visible = torch.zeros(2, 8, dtype=torch.bool)
    visible[0, [0, 1, 3, 6, 7]] = True
    visible[1, [2, 5]] = True
    tokens, _, _ = backbone.forward_tokens(x, visible)
    alone, padding_mask, _ = backbone.forward_tokens(x[1:], visible[1:])
    assert not padding_mask.any() and alone.shape == (1, 2, 24)
    torch.testing.assert_close(tokens[1, :2], alone[0], atol=1e-5, rtol=1e-5)


def test_positions_are_original_frame_indices(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg).eval()
    x = torch.randn(1, 9, NUM_JOINTS, 3)
    visible = torch.zeros(1, 9, dtype=torch.bool)
    visible[0, [1, 4, 8]] = True
    tokens, _, _ = backbone.forward_tokens(x, visible)
    with torch.no_grad():
        expected = backbone.encoder(
            backbone.embedding(x[:, [1, 4, 8]]) +
            backbone.pos_embed[:, [1, 4, 8]])
    torch.testing.assert_close(tokens, expected)


def test_rejects_empty_samples_and_long_clips(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg)
    visible = torch.ones(2, 4, dtype=torch.bool)
    visible[1] = False
    with pytest.raises(ValueError, match='at least one visible'):
        backbone.forward_tokens(torch.randn(2, 4, NUM_JOINTS, 3), visible)
    with pytest.raises(ValueError, match='max_frames=64'):
        backbone.forward_tokens(torch.randn(1, 65, NUM_JOINTS, 3))
    with pytest.raises(ValueError, match='embed_dims=32'):
        MODELS.build({**tiny_backbone_cfg, 'embed_dims': 32})


def test_xavier_init(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg)
    weight = backbone.encoder.layers[0].linear1.weight  # (32, 24)
    bound = (6 / (24 + 32))**0.5
    assert weight.abs().max() <= bound
    assert weight.abs().max() > 0.9 * bound
    assert 0.01 < backbone.pos_embed.std() < 0.03


def test_sincos_position_embedding_is_fixed(tiny_backbone_cfg):
    backbone = _build(tiny_backbone_cfg, pos_embed_type='sincos')
    table = sinusoid_table(backbone.max_frames, backbone.embed_dims)
    torch.testing.assert_close(backbone.pos_embed, table)
    backbone.forward_tokens(torch.randn(2, 5, NUM_JOINTS,
                                        3))[0].sum().backward()
    assert backbone.encoder.layers[0].linear1.weight.grad is not None
    # A fixed table: not a parameter, not in checkpoints.
    assert 'pos_embed' not in dict(backbone.named_parameters())
    assert 'pos_embed' not in backbone.state_dict()


def test_inside_recognizer_gcn_with_gcn_head(tiny_backbone_cfg):
    init_default_scope('mmaction')  # as configs set default_scope
    torch.manual_seed(0)
    recognizer = MODELS.build(
        dict(
            type='RecognizerGCN',
            backbone=tiny_backbone_cfg,
            cls_head=dict(type='GCNHead', num_classes=5, in_channels=24)))
    recognizer.init_weights()
    # (N, num_clips, M, T, V, C) as MMAction2's skeleton pipelines pack it.
    inputs = torch.randn(4, 1, 1, 6, NUM_JOINTS, 3)
    samples = [ActionDataSample().set_gt_label(i % 5) for i in range(4)]
    # mode='tensor' returns the backbone map (clips flattened into N).
    feats = recognizer(inputs, samples, mode='tensor')
    assert feats.shape == (4, 1, 24, 6, 1)
    losses = recognizer(inputs, samples, mode='loss')
    assert set(losses) == {'loss_cls', 'top1_acc', 'top5_acc'}
    # GCNHead's classifier starts at N(0, 0.01): near-uniform logits, so
    # the cross-entropy of 5 classes is ln 5 at initialisation.
    assert abs(float(losses['loss_cls']) - math.log(5)) < 0.05
    assert float(losses['top5_acc']) == 1.0  # 5 classes: always in top 5
    losses['loss_cls'].backward()
    assert recognizer.backbone.pos_embed.grad is not None
    recognizer.eval()
    with torch.no_grad():
        preds = recognizer(inputs, samples, mode='predict')
    assert len(preds) == 4
    for pred in preds:
        assert pred.pred_score.shape == (5, )
        torch.testing.assert_close(pred.pred_score.sum(), torch.tensor(1.))


def test_masked_frames_enter_as_the_mask_token(tiny_backbone_cfg):
    """BERT-style input: a masked frame's pose is never seen, and it is
    hidden as an attention key, so the other frames ignore it."""
    torch.manual_seed(0)
    backbone = MODELS.build(dict(tiny_backbone_cfg, mask_token=True))
    backbone.init_weights()
    backbone.eval()
    x = torch.randn(2, 6, 49, 3)
    masked = torch.zeros(2, 6, dtype=torch.bool)
    masked[0, [1, 4]] = True
    tokens = backbone.forward_tokens(x, masked=masked)[0]
    changed = x.clone()
    changed[0, [1, 4]] = torch.randn(2, 49, 3)
    torch.testing.assert_close(
        backbone.forward_tokens(changed, masked=masked)[0], tokens)
    # Without the mask the same change moves every token of sample 0.
    plain = backbone.forward_tokens(x)[0]
    moved = backbone.forward_tokens(changed)[0]
    assert not torch.allclose(plain[0], moved[0])
    # Sample 1 (nothing masked) is the plain encoding.
    torch.testing.assert_close(tokens[1], plain[1])
    with pytest.raises(ValueError, match='mask_token=True'):
        MODELS.build(tiny_backbone_cfg).forward_tokens(x, masked=masked)
    with pytest.raises(ValueError, match='not masked'):
        backbone.forward_tokens(x, masked=torch.ones(2, 6, dtype=torch.bool))


def test_per_part_mask_replaces_one_slice(tiny_backbone_cfg):
    """Masking the right hand (token part 0) of a frame hides only that
    hand's pose; the frame still attends and is attended to."""
    torch.manual_seed(0)
    backbone = MODELS.build(dict(tiny_backbone_cfg, mask_token=True))
    backbone.init_weights()
    backbone.eval()
    x = torch.randn(1, 4, 49, 3)
    masked = torch.zeros(1, 4, 3, dtype=torch.bool)
    masked[0, 1, 0] = True
    tokens = backbone.forward_tokens(x, masked=masked)[0]
    changed = x.clone()
    changed[0, 1, 28:] = torch.randn(21, 3)  # the right hand of frame 1
    torch.testing.assert_close(
        backbone.forward_tokens(changed, masked=masked)[0], tokens)
    body = x.clone()
    body[0, 1, :7] += 1  # the body of frame 1 is still seen
    assert not torch.allclose(
        backbone.forward_tokens(body, masked=masked)[0], tokens)


def test_drop_path_rate_reaches_the_encoder(tiny_backbone_cfg):
    from mmcv.cnn.bricks import DropPath
    plain = _build(tiny_backbone_cfg)
    assert not any(isinstance(m, DropPath) for m in plain.modules())
    backbone = _build(tiny_backbone_cfg, drop_path_rate=0.3)
    last = backbone.encoder.layers[-1]
    assert [m.drop_prob for m in last.modules()
            if isinstance(m, DropPath)] == [0.3, 0.3]
    # Same parameters (and checkpoint keys) with or without it.
    assert plain.state_dict().keys() == backbone.state_dict().keys()
    backbone.eval()
    x = torch.randn(2, 1, 6, NUM_JOINTS, 3)
    plain.load_state_dict(backbone.state_dict())
    plain.eval()
    torch.testing.assert_close(backbone(x), plain(x))


def test_temporal_conv_mixes_neighbouring_frames_in_fine_tuning(
        tiny_backbone_cfg):
    backbone = _build(
        tiny_backbone_cfg,
        temporal_conv=dict(type='TemporalConv', kernels=(5, 3, 3)))
    assert backbone.temporal_conv.receptive_field == 9
    backbone.eval()
    x = torch.randn(1, 1, 20, NUM_JOINTS, 3)
    tokens = backbone.embedding(x[:, 0])
    mixed = backbone.temporal_conv(tokens)
    # Changing frame 10 changes the conv output of frames 6 .. 14 only.
    y = x.clone()
    y[:, :, 10] += 5
    changed = (backbone.temporal_conv(backbone.embedding(y[:, 0])) -
               mixed).abs().amax(-1)[0] > 1e-6
    assert changed.nonzero().flatten().tolist() == list(range(6, 15))
    assert backbone(x).shape == (1, 1, backbone.embed_dims, 20, 1)
    # Encoding visible frames only (pre-training) would leak masked ones.
    visible = torch.ones(1, 20, dtype=torch.bool)
    with pytest.raises(ValueError, match='masked frames'):
        backbone.forward_tokens(x[:, 0], visible=visible)
    with pytest.raises(ValueError, match='odd'):
        _build(
            tiny_backbone_cfg,
            temporal_conv=dict(type='TemporalConv', kernels=(4, )))
