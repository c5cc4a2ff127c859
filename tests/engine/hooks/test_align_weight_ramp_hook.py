from types import SimpleNamespace

import pytest
from mmengine.logging import MessageHub

from mmaction.registry import HOOKS, MODELS
from mmaction_masa.engine.hooks.align_weight_ramp_hook import \
    AlignWeightRampHook

TINY_MASA = dict(
    type='MASA',
    backbone=dict(
        type='MASABackbone',
        embedding=dict(
            type='PoseEmbedding',
            joint_channels=(4, 4, 4),
            group_channels=(4, 4),
            part_channels=4),
        embed_dims=12,
        num_layers=1,
        num_heads=1,
        feedforward_channels=8,
        max_frames=8),
    align_head=dict(
        type='MomentumAlignmentHead',
        in_channels=12,
        hid_channels=4,
        out_channels=4,
        queue_len=4),
    align_weight=0.0)


def _runner(name, epoch=0, iteration=0, num_batches=4):
    """The runner attributes the hook reads, with a real model and a real
    message hub."""
    return SimpleNamespace(
        epoch=epoch,
        iter=iteration,
        train_dataloader=[None] * num_batches,
        model=MODELS.build(TINY_MASA),
        message_hub=MessageHub.get_instance(name))


@pytest.mark.parametrize('progress, weight', [(0, 0.0), (50, 0.025),
                                              (100, 0.05), (200, 0.05)])
def test_weight_at(progress, weight):
    hook = AlignWeightRampHook(max_weight=0.05, ramp_epochs=100)
    assert hook.weight_at(progress) == pytest.approx(weight, abs=1e-12)


def test_no_ramp_is_constant():
    hook = AlignWeightRampHook(max_weight=0.05, ramp_epochs=0)
    assert hook.weight_at(0) == 0.05


def test_rejects_negative_ramp():
    with pytest.raises(ValueError, match='ramp_epochs must be >= 0'):
        AlignWeightRampHook(ramp_epochs=-1)


def test_before_train_iter_interpolates_within_epoch():
    hook = HOOKS.build(
        dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=100))
    runner = _runner('test_align_weight_ramp_by_epoch', epoch=50)
    hook.before_train_iter(runner, batch_idx=2)
    # 50 + 2 / 4 = 50.5 epochs into a 100-epoch ramp.
    assert runner.model.align_weight == pytest.approx(0.02525)
    logged = runner.message_hub.get_scalar('train/align_weight').current()
    assert logged == pytest.approx(0.02525)
    runner.epoch = 150
    hook.before_train_iter(runner, batch_idx=0)
    assert runner.model.align_weight == 0.05


def test_before_train_iter_by_iteration():
    hook = AlignWeightRampHook(
        max_weight=0.05, ramp_epochs=100, by_epoch=False)
    runner = _runner('test_align_weight_ramp_by_iter', epoch=3, iteration=30)
    hook.before_train_iter(runner, batch_idx=1)
    assert runner.model.align_weight == pytest.approx(0.015)
