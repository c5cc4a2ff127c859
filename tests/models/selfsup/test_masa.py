import copy
import math

import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import _load_checkpoint_with_prefix

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction_masa.datasets.transforms.formatting import PackSignInputs
from mmaction_masa.models.selfsup.masa import random_frame_mask, stack_views
from mmaction_masa.sign_layout import NUM_JOINTS

T = 8
VIEW_LEN = 5


@pytest.fixture
def masa_cfg(tiny_backbone_cfg, tiny_neck_cfg, tiny_mask_head_cfg,
             tiny_align_head_cfg):
    return dict(
        type='MASA',
        backbone=tiny_backbone_cfg,
        neck=tiny_neck_cfg,
        mask_head=tiny_mask_head_cfg,
        align_head=tiny_align_head_cfg,
        momentum=0.01,
        align_weight=1.0)


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    model = MODELS.build({**cfg, **kwargs})
    model.init_weights()
    return model


def _masks():
    masks = torch.zeros(3, T, dtype=torch.bool)
    masks[0, [1, 2, 5]] = True
    masks[1, [0, 7]] = True
    masks[2, 3] = True
    return masks


def _batch(make_samples):
    torch.manual_seed(1)
    inputs = torch.randn(3, 1, 1, T, NUM_JOINTS, 3)
    return inputs, make_samples(_masks(), view_len=VIEW_LEN)


class _FrameCounter:
    """Forward pre-hook counting the frames a module embeds per call."""

    def __init__(self, module):
        self.counts = []
        self.frames = []
        module.register_forward_pre_hook(self._hook)

    def _hook(self, module, args):
        frames = args[0].detach().reshape(-1, *args[0].shape[-2:])
        self.counts.append(frames.shape[0])
        self.frames.append(frames.clone())


def test_needs_a_head(tiny_backbone_cfg):
    with pytest.raises(ValueError, match='mask_head, align_head or both'):
        MODELS.build(dict(type='MASA', backbone=tiny_backbone_cfg))


def test_loss_keys_finite_float32(masa_cfg, make_samples):
    model = _build(masa_cfg)
    losses = model(*_batch(make_samples), mode='loss')
    assert set(losses) == {'loss_motion', 'loss_align'}
    for loss in losses.values():
        assert loss.shape == () and loss.dtype == torch.float32
        assert torch.isfinite(loss) and loss > 0
    # InfoNCE over 1 positive + K = 10 negatives with |q.k| <= 1:
    # L_s <= log(1 + K exp(2 / tau)) (a negative at cos 1, the positive at
    # cos -1); lambda_s = 1 here.
    assert float(losses['loss_align']) <= math.log(1 + 10 * math.exp(2 / .07))


def test_encoder_embeds_only_visible_frames(masa_cfg, make_samples):
    model = _build(masa_cfg)
    query = _FrameCounter(model.backbone.embedding)
    key = _FrameCounter(model.momentum_encoder.module.backbone.embedding)
    decoded = []
    model.neck.decoder.register_forward_pre_hook(
        lambda module, args: decoded.append(args[0].shape))
    model.loss(*_batch(make_samples))
    # 24 frames, 6 of them masked: the query encoder embeds only 18.
    assert query.counts == [3 * T - 6] == [int((~_masks()).sum())]
    # The key branch embeds every frame of the second views.
    assert key.counts == [3 * VIEW_LEN]
    # The decoder sees all T frames of each sample.
    assert decoded == [(3, T, 24)]


def test_no_gradient_reaches_momentum_branch(masa_cfg, make_samples):
    model = _build(masa_cfg)
    losses = model.loss(*_batch(make_samples))
    sum(losses.values()).backward()
    momentum = list(model.momentum_encoder.parameters())
    assert momentum and all(p.grad is None for p in momentum)
    for module in (model.backbone, model.neck, model.mask_head,
                   model.align_head.projector):
        for name, param in module.named_parameters():
            assert param.grad is not None, name
    assert model.backbone.embedding.hand_gcn.out[0].weight.grad.abs().sum() > 0


def test_momentum_branch_starts_as_copy_and_tracks(masa_cfg, make_samples):
    model = _build(masa_cfg)
    model.loss(*_batch(make_samples))
    branch = model.momentum_encoder.module
    torch.testing.assert_close(branch.backbone.pos_embed,
                               model.backbone.pos_embed)
    with torch.no_grad():
        model.backbone.pos_embed.add_(1.0)
    before = branch.backbone.pos_embed.clone()
    model.loss(*_batch(make_samples))
    # MASA(momentum=0.01) is 1 - mu: theta_k <- 0.99 theta_k + 0.01 theta_q.
    torch.testing.assert_close(branch.backbone.pos_embed,
                               0.99 * before + 0.01 * model.backbone.pos_embed)
    # Buffers (the projector's BN statistics) are copied, not averaged.
    model.momentum_encoder.update_parameters(model.query_encoder())
    torch.testing.assert_close(
        branch.projector[1].running_mean,
        model.align_head.projector[1].running_mean,
        rtol=0,
        atol=0)


def test_motion_frames_choices(masa_cfg, make_samples):
    with pytest.raises(ValueError, match="motion_frames must be one of"):
        MODELS.build({**masa_cfg, 'motion_frames': 'visible'})
    model = _build(masa_cfg)
    inputs, samples = _batch(make_samples)
    x, padding = model.query_pose(inputs, samples)
    with pytest.raises(ValueError, match="got 'visible'"):
        model.motion_loss(x, padding, samples, motion_frames='visible')


def test_momentum_is_one_minus_mu(masa_cfg):
    with pytest.raises(ValueError, match='1 - mu'):
        MODELS.build({**masa_cfg, 'momentum': 0.996})


def test_neck_exactly_with_mask_head(masa_cfg):
    with pytest.raises(ValueError, match='exactly when'):
        MODELS.build({**masa_cfg, 'neck': None})
    with pytest.raises(ValueError, match='exactly when'):
        MODELS.build({**masa_cfg, 'mask_head': None})


def test_decoded_width_must_match_the_heads_input(masa_cfg):
    neck = dict(masa_cfg['neck'], decoder_dims=40)
    with pytest.raises(ValueError, match='40-d tokens.*in_channels'):
        MODELS.build({**masa_cfg, 'neck': neck})
    head = dict(masa_cfg['mask_head'], in_channels=40)
    model = MODELS.build({**masa_cfg, 'neck': neck, 'mask_head': head})
    assert model.mask_head.predictor[0].in_features == 40


def test_loads_checkpoints_from_before_the_neck_split(masa_cfg):
    model = _build(masa_cfg)
    state = model.state_dict()
    old = {
        ('mask_head.' + k[len('neck.'):] if k.startswith('neck.') else k):
        v.clone() + 1
        for k, v in state.items()
    }
    assert 'mask_head.decoder.layers.0.linear1.weight' in old
    fresh = _build(masa_cfg)
    fresh.load_state_dict(old)
    torch.testing.assert_close(fresh.neck.mask_token,
                               old['mask_head.mask_token'])
    torch.testing.assert_close(fresh.mask_head.predictor[0].weight,
                               old['mask_head.predictor.0.weight'])


def test_ma_only(masa_cfg, make_samples):
    model = _build(masa_cfg, align_head=None)
    assert not hasattr(model, 'momentum_encoder')
    inputs, samples = _batch(make_samples)
    for sample in samples:
        sample.pop('view2')
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss_motion'}
    assert torch.isfinite(losses['loss_motion'])


def test_sa_only_encodes_every_frame(masa_cfg):
    model = _build(masa_cfg, neck=None, mask_head=None)
    query = _FrameCounter(model.backbone.embedding)
    samples = []
    for _ in range(3):
        sample = ActionDataSample()
        sample.set_field(torch.randn(1, VIEW_LEN, NUM_JOINTS, 3), 'view2')
        samples.append(sample)
    losses = model.loss(torch.randn(3, 1, 1, T, NUM_JOINTS, 3), samples)
    assert set(losses) == {'loss_align'}
    assert torch.isfinite(losses['loss_align'])
    assert query.counts == [3 * T]


def test_align_weight_scales_loss_align(masa_cfg, make_samples):
    model = _build(masa_cfg)
    half = copy.deepcopy(model)
    half.align_weight = 0.5
    batch = _batch(make_samples)
    torch.manual_seed(2)
    full_losses = model.loss(*batch)
    torch.manual_seed(2)
    half_losses = half.loss(*batch)
    torch.testing.assert_close(half_losses['loss_motion'],
                               full_losses['loss_motion'])
    torch.testing.assert_close(half_losses['loss_align'],
                               0.5 * full_losses['loss_align'])
    assert full_losses['loss_align'] > 0


def test_zero_align_weight_still_fills_queue(masa_cfg, make_samples):
    model = _build(masa_cfg, align_weight=0.0)
    losses = model.loss(*_batch(make_samples))
    assert losses['loss_align'].item() == 0.0
    assert int(model.align_head.queue_ptr) == 3
    assert int(model.momentum_encoder.steps) == 1


@pytest.mark.parametrize('target, frames', [('motion', 'masked'),
                                            ('joint', 'masked'),
                                            ('motion', 'all')])
def test_motion_loss_uses_target_fields(masa_cfg, make_samples, target,
                                        frames):
    cfg = {
        **masa_cfg, 'mask_head': {
            **masa_cfg['mask_head'], 'target': target
        },
        'motion_frames': frames
    }
    model = _build(cfg)
    preds = []
    model.mask_head.register_forward_hook(
        lambda module, args, out: preds.append(out))
    counter = _FrameCounter(model.backbone.embedding)
    inputs, samples = _batch(make_samples)
    losses = model.loss(inputs, samples)
    mask = _masks()
    # The encoder sees the 24 - 6 visible frames (query) either way.
    assert counter.counts[0] == 3 * T - int(mask.sum())
    if frames == 'all':  # every frame supervised, the visible ones too
        mask = torch.ones_like(mask)
    if target == 'motion':
        expected_target = torch.stack([s.motion_target for s in samples])
        weight = torch.stack([s.motion_weight for s in samples])
    else:
        expected_target = inputs[:, 0, 0, ..., :2]
        weight = torch.stack([s.joint_weight for s in samples])
    # Eq. 4 by hand: per sample, the mean over its masked frames of the
    # weighted squared error averaged over joints and x, y (target in
    # units of the half box, 128), then the mean over the samples.
    per_sample = []
    for b in range(len(mask)):
        frames = [((preds[0][b, t] - expected_target[b, t] / 128) *
                   weight[b, t][:, None]).square().mean()
                  for t in range(mask.shape[1]) if mask[b, t]]
        per_sample.append(sum(frames) / len(frames))
    torch.testing.assert_close(losses['loss_motion'],
                               sum(per_sample) / len(per_sample))


def _packed_data(num_person=2):
    """Samples packed by PackSignInputs, as the dataloader yields them."""
    rng = np.random.default_rng(0)
    packer = PackSignInputs(
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight', 'view2'))
    packed = []
    for i, mask in enumerate(_masks().numpy()):
        packed.append(
            packer(
                dict(
                    frame_dir=f'clip_{i}',
                    keypoint=rng.normal(size=(num_person, T, NUM_JOINTS, 2)),
                    keypoint_score=rng.random((num_person, T, NUM_JOINTS)),
                    view2_keypoint=rng.normal(
                        size=(num_person, VIEW_LEN + i, NUM_JOINTS, 2)),
                    view2_keypoint_score=rng.random(
                        (num_person, VIEW_LEN + i, NUM_JOINTS)),
                    motion_mask=mask,
                    motion_target=rng.normal(size=(T, NUM_JOINTS,
                                                   2)).astype(np.float32),
                    motion_weight=rng.random(
                        (T, NUM_JOINTS)).astype(np.float32),
                    joint_weight=rng.random(
                        (T, NUM_JOINTS)).astype(np.float32))))
    return pseudo_collate(packed)


def test_packed_6d_inputs_use_clip0_person0(masa_cfg):
    model = _build(masa_cfg)
    data = model.data_preprocessor(_packed_data(), training=True)
    inputs, samples = data['inputs'], data['data_samples']
    assert inputs.shape == (3, 1, 2, T, NUM_JOINTS, 3)
    assert samples[2].view2.shape == (1, 2, VIEW_LEN + 2, NUM_JOINTS, 3)
    other = copy.deepcopy(model)
    torch.manual_seed(3)
    packed_losses = model(**data, mode='loss')
    # Same losses from 5-D inputs holding person 0 only (and view2s
    # holding person 0 only, without the clip dim).
    for sample in samples:
        sample.view2 = sample.view2[0, :1]
    torch.manual_seed(3)
    plain_losses = other.loss(inputs[:, 0, :1], samples)
    assert set(packed_losses) == {'loss_motion', 'loss_align'}
    for name, loss in packed_losses.items():
        assert torch.isfinite(loss)
        torch.testing.assert_close(loss, plain_losses[name])


def test_rejects_several_clips_and_missing_fields(masa_cfg, make_samples):
    model = _build(masa_cfg)
    inputs, samples = _batch(make_samples)
    with pytest.raises(ValueError, match='num_clips=2'):
        model.loss(inputs.expand(-1, 2, -1, -1, -1, -1), samples)
    samples[1].set_metainfo(dict(frame_dir='clip_b'))
    samples[1].view2 = samples[1].view2.expand(2, -1, -1, -1)[:, None]
    with pytest.raises(
            ValueError, match=r"'view2' of sample 'clip_b'.*"
            r'num_clips=2'):
        model.loss(inputs, samples)
    samples[1].pop('motion_mask')
    with pytest.raises(KeyError, match=r"'clip_b' lacks 'motion_mask'"):
        model.loss(inputs, samples)
    with pytest.raises(ValueError, match=r'\(N, \[num_clips,\] M, T, V, C\)'):
        model.extract_feat(inputs[0, 0])


def test_extract_feat_and_predict_6d(masa_cfg):
    model = _build(masa_cfg).eval()
    inputs = torch.randn(2, 3, 1, 5, NUM_JOINTS, 3)
    with torch.no_grad():
        feats = model(inputs, mode='tensor')
        assert feats.shape == (2 * 3, 1, 24, 5, 1)
        samples = model(
            inputs, [ActionDataSample() for _ in range(2)], mode='predict')
        per_clip = [model.backbone(inputs[:, c]) for c in range(3)]
        plain = model(inputs[:, 0], mode='tensor')
    expected = torch.stack(per_clip, 1).mean(dim=(1, 2, 4, 5))
    assert samples[0].pred_feat.shape == (24, )
    torch.testing.assert_close(
        torch.stack([s.pred_feat for s in samples]), expected)
    torch.testing.assert_close(plain, per_clip[0])


def test_shuffled_keys_match_per_sample_keys(masa_cfg):
    """Keys of padded views of different lengths, encoded batch-shuffled,
    equal each view encoded alone (eval-mode BN is per sample)."""
    model = _build(masa_cfg).eval()
    embedded = _FrameCounter(model.momentum_encoder.module.backbone.embedding)
    samples = []
    for length in (3, 6, 2, 5, 4, 6):
        sample = ActionDataSample()
        sample.set_field(torch.randn(1, 1, length, NUM_JOINTS, 3), 'view2')
        samples.append(sample)
    torch.manual_seed(0)
    keys = model.momentum_keys(samples)
    frames = embedded.frames[0]
    view, lengths = stack_views(samples)
    in_order = torch.cat([v[:n] for v, n in zip(view, lengths)])
    # The key branch embedded all 26 real frames, in a shuffled order.
    assert frames.shape[0] == 26
    assert not torch.equal(frames, in_order)
    torch.testing.assert_close(
        frames.sum((1, 2)).sort()[0],
        in_order.sum((1, 2)).sort()[0])
    with torch.no_grad():
        alone = torch.cat([
            model._encode_keys(v[None, :n], n[None])
            for v, n in zip(view, lengths)
        ])
    torch.testing.assert_close(keys, alone, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(keys.norm(dim=1), torch.ones(6))


def test_loss_under_bf16_autocast(masa_cfg, make_samples):
    model = _build(masa_cfg)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        losses = model.loss(*_batch(make_samples))
    for loss in losses.values():
        assert loss.dtype == torch.float32 and torch.isfinite(loss)
    sum(losses.values()).backward()
    assert model.backbone.pos_embed.grad is not None


def test_pretrain_to_finetune_round_trip(masa_cfg, make_samples,
                                         tiny_backbone_cfg, tmp_path):
    model = _build(masa_cfg)
    model.loss(*_batch(make_samples))  # fills the momentum branch too
    path = tmp_path / 'masa_pretrain.pth'
    torch.save(dict(state_dict=model.state_dict()), path)

    init_default_scope('mmaction')
    torch.manual_seed(5)
    recognizer = MODELS.build(
        dict(
            type='RecognizerGCN',
            backbone=dict(
                **tiny_backbone_cfg,
                init_cfg=dict(
                    type='Pretrained',
                    checkpoint=str(path),
                    prefix='backbone.')),
            cls_head=dict(type='GCNHead', num_classes=5, in_channels=40)))
    recognizer.init_weights()

    pretrained = _load_checkpoint_with_prefix('backbone.', str(path))
    finetune = recognizer.backbone.state_dict()
    assert set(pretrained) == set(finetune)
    for name, value in model.backbone.state_dict().items():
        torch.testing.assert_close(finetune[name], value, rtol=0, atol=0)
    result = recognizer.backbone.load_state_dict(pretrained, strict=False)
    assert result.missing_keys == [] and result.unexpected_keys == []


def _variable_length_clip(rng, length, masked):
    """One packed pre-training sample of ``length`` frames."""
    mask = np.zeros(length, bool)
    mask[masked] = True
    return PackSignInputs(
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight', 'view2'))(
                            dict(
                                frame_dir=f'clip_{length}',
                                total_frames=length,
                                keypoint=rng.normal(
                                    size=(1, length, NUM_JOINTS, 2)),
                                keypoint_score=rng.random(
                                    (1, length, NUM_JOINTS)),
                                view2_keypoint=rng.normal(
                                    size=(1, (length + 1) // 2, NUM_JOINTS,
                                          2)),
                                view2_keypoint_score=rng.random(
                                    (1, (length + 1) // 2, NUM_JOINTS)),
                                motion_mask=mask,
                                motion_target=rng.normal(
                                    size=(length, NUM_JOINTS,
                                          2)).astype(np.float32),
                                motion_weight=rng.random(
                                    (length, NUM_JOINTS)).astype(np.float32),
                                joint_weight=rng.random(
                                    (length, NUM_JOINTS)).astype(np.float32)))


def test_clips_of_different_lengths_batch_with_padding(masa_cfg):
    """Whole clips of 5 and 9 frames in one batch: the padding frames of the
    short clip are neither encoded, attended to by the decoder, nor
    supervised, so (in eval mode, no dropout, BatchNorm's running
    statistics) the batch's Eq. 4 is the mean of the two clips' own."""
    model = _build(masa_cfg).eval()
    rng = np.random.default_rng(0)
    clips = [
        _variable_length_clip(rng, 5, [1, 3]),
        _variable_length_clip(rng, 9, [0, 4, 5])
    ]
    batch = model.data_preprocessor(pseudo_collate(clips), training=True)
    assert batch['inputs'].shape[3] == 9
    torch.manual_seed(0)
    together = model(**batch, mode='loss')['loss_motion']
    alone = []
    for clip in clips:
        single = model.data_preprocessor(pseudo_collate([clip]), True)
        alone.append(model(**single, mode='loss')['loss_motion'])
    torch.testing.assert_close(together, (alone[0] + alone[1]) / 2)
    # The loss is finite and the SA branch ran on both views.
    assert int(model.align_head.queue_ptr) == 4


def test_total_frames_beyond_the_batch_is_an_error(masa_cfg, make_samples):
    model = _build(masa_cfg)
    inputs, samples = _batch(make_samples)
    samples[1].set_metainfo(dict(frame_dir='clip_x', total_frames=T + 1))
    with pytest.raises(ValueError, match="'clip_x'.*total_frames=9"):
        model.loss(inputs, samples)


def test_random_frame_mask_counts():
    # Real lengths 5, 3, 1 of T = 5: round(2.5) = 3, round(1.5) = 2, and a
    # one-frame clip keeps its frame; never a padding frame.
    padding = torch.arange(5)[None] >= torch.tensor([5, 3, 1])[:, None]
    torch.manual_seed(0)
    for _ in range(5):
        masked = random_frame_mask(padding, 0.5)
        assert masked.sum(1).tolist() == [3, 2, 0]
        assert not (masked & padding).any()


def test_released_bert_input_and_masked_key_view(masa_cfg, make_samples):
    with pytest.raises(ValueError, match='mask_token=True'):
        MODELS.build(dict(masa_cfg, encoder_input='mask_token'))
    backbone = dict(masa_cfg['backbone'], mask_token=True)
    model = _build(
        masa_cfg,
        backbone=backbone,
        encoder_input='mask_token',
        key_view='masked')
    inputs, samples = _batch(make_samples)
    for sample in samples:
        del sample.view2  # the masked key view needs no second view
    counter = _FrameCounter(model.backbone.embedding)
    losses = model.loss(inputs, samples)
    # BERT-style: the query branch embeds all 3 x T frames.
    assert counter.counts == [3 * T]
    assert losses['loss_motion'] > 0 and losses['loss_align'] > 0
    assert int(model.align_head.queue_ptr) == 3
    with pytest.raises(ValueError, match='key_view'):
        MODELS.build(dict(masa_cfg, key_view='other'))


def test_per_part_masks_supervise_the_masked_parts(masa_cfg, make_samples):
    backbone = dict(masa_cfg['backbone'], mask_token=True)
    model = _build(masa_cfg, backbone=backbone, encoder_input='mask_token')
    inputs, samples = _batch(make_samples)
    part_masks = torch.zeros(3, T, 3, dtype=torch.bool)
    part_masks[:, 2, 0] = True  # the right hand of frame 2 only
    for sample, part_mask in zip(samples, part_masks):
        sample.motion_mask = part_mask
    preds = []
    model.mask_head.register_forward_hook(
        lambda module, args, out: preds.append(out))
    losses = model.loss(inputs, samples)
    # Eq. 4 restricted to the right-hand joints (28-48) of frame 2.
    expected = []
    for b, sample in enumerate(samples):
        err = ((preds[0][b, 2] - sample.motion_target[2] / 128) *
               sample.motion_weight[2][:, None]).square()
        expected.append(err[28:].sum() / err.numel())
    torch.testing.assert_close(losses['loss_motion'],
                               sum(expected) / len(expected))
    plain = _build(masa_cfg)
    with pytest.raises(ValueError, match="encoder_input='mask_token'"):
        plain.loss(inputs, samples)
