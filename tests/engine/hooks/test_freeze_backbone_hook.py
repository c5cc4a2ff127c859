"""FreezeBackboneHook (LP-FT): in a real MMEngine training loop the
backbone's weights and BatchNorm statistics stay exactly at their initial
values during the frozen epochs while the head trains; afterwards the
backbone trains too."""
import copy

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmaction.registry import HOOKS
from mmaction_masa.engine.hooks.freeze_backbone_hook import FreezeBackboneHook


class _Toy(BaseModel):
    """Backbone (linear + BatchNorm + dropout) and a linear head."""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Dropout(0.5))
        self.head = nn.Linear(4, 2)

    def forward(self, inputs, labels, mode='loss'):
        return dict(
            loss=F.cross_entropy(self.head(self.backbone(inputs)), labels))


class _Snapshots(Hook):
    """The model's state after every training epoch."""

    def __init__(self):
        self.states = []

    def after_train_epoch(self, runner):
        self.states.append(copy.deepcopy(runner.model.state_dict()))


def _train(tmp_path, freeze_epochs, max_epochs=2, pre_frozen=False):
    torch.manual_seed(0)
    data = [dict(inputs=torch.randn(3), labels=int(i % 2)) for i in range(16)]
    model = _Toy()
    if pre_frozen:
        model.backbone[1].weight.requires_grad_(False)
    initial = copy.deepcopy(model.state_dict())
    snapshots = _Snapshots()
    runner = Runner(
        model=model,
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=4,
            collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(
            optimizer=dict(type='SGD', lr=0.1, momentum=0.9,
                           weight_decay=0.1)),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        custom_hooks=[
            dict(type='FreezeBackboneHook', epochs=freeze_epochs), snapshots
        ],
        default_hooks=dict(checkpoint=None),
        default_scope='mmaction')
    runner.train()
    return initial, snapshots.states


def _same(a, b, prefix):
    return all(torch.equal(a[k], b[k]) for k in a if k.startswith(prefix))


def test_registered():
    assert HOOKS.get('FreezeBackboneHook') is FreezeBackboneHook


def test_backbone_frozen_for_the_first_epoch_then_trained(tmp_path):
    initial, (after1, after2) = _train(tmp_path, freeze_epochs=1)
    # Epoch 0: weights, BatchNorm running mean / var and batch count of the
    # backbone untouched (no update, no weight decay, eval mode) ...
    assert _same(initial, after1, 'backbone.')
    assert initial['backbone.1.num_batches_tracked'].item() == 0
    # ... while the head learnt.
    assert not torch.equal(initial['head.weight'], after1['head.weight'])
    # Epoch 1: the backbone trains (4 batches of BatchNorm statistics).
    assert not torch.equal(after1['backbone.0.weight'],
                           after2['backbone.0.weight'])
    assert after2['backbone.1.num_batches_tracked'].item() == 4


def test_zero_epochs_changes_nothing(tmp_path):
    initial, (after1, _) = _train(tmp_path, freeze_epochs=0)
    assert not torch.equal(initial['backbone.0.weight'],
                           after1['backbone.0.weight'])
    assert after1['backbone.1.num_batches_tracked'].item() == 4


def test_parameters_frozen_before_stay_frozen(tmp_path):
    initial, (after1, after2) = _train(
        tmp_path, freeze_epochs=1, pre_frozen=True)
    assert not torch.equal(after1['backbone.0.weight'],
                           after2['backbone.0.weight'])
    assert torch.equal(initial['backbone.1.weight'],
                       after2['backbone.1.weight'])


def test_frozen_phase_by_epoch():
    hook = FreezeBackboneHook(epochs=2)
    assert [hook.frozen(e) for e in range(4)] == [True, True, False, False]


def test_rejects_negative_epochs():
    with pytest.raises(ValueError, match='epochs must be >= 0'):
        FreezeBackboneHook(epochs=-1)


def test_missing_module_is_named(tmp_path):
    hook = FreezeBackboneHook(epochs=1, module='encoder')
    runner = type('R', (), dict(model=_Toy(), epoch=0))()
    with pytest.raises(AttributeError, match="_Toy has no 'encoder'"):
        hook.before_train_epoch(runner)
