"""The pre-training health monitor sees a collapse, and logs every epoch."""
import json

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from mmaction.registry import DATASETS, MODELS
from mmaction_masa.engine.hooks import RepresentationMonitorHook

PRETRAIN = 'configs/dev/masa_pretrain_wlasl50dev.py'
PROBE_PIPELINE = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32, test_mode=True),
    dict(type='PackSignInputs')
]


def _probe(ann_file):
    return dict(
        batch_size=32,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ISLRDataset',
            ann_file=str(ann_file),
            split='test',
            pipeline=PROBE_PIPELINE,
            test_mode=True))


def test_a_collapsed_backbone_has_a_low_rank(repo_root, shared_data):
    init_default_scope('mmaction')
    torch.manual_seed(0)
    cfg = Config.fromfile(str(repo_root / PRETRAIN))
    model = MODELS.build(cfg.model)
    model.init_weights()
    probe = _probe(shared_data / 'real' / 'wlasl50_dev.pkl')
    dataset = DATASETS.build(probe['dataset'])
    hook = RepresentationMonitorHook(
        DataLoader(dataset, batch_size=32, collate_fn=pseudo_collate))
    healthy = hook.measure(model)
    assert healthy['monitor/eff_rank'] > 5
    assert healthy['monitor/knn_top1'] > 1 / 25
    assert model.training  # restored after the eval-mode probe
    # Collapse: the last encoder block's final LayerNorm outputs its bias
    # only, so every clip gets the same feature.
    last = model.backbone.encoder.layers[-1]
    with torch.no_grad():
        last.norm2.weight.zero_()
    collapsed = hook.measure(model)
    assert collapsed['monitor/eff_rank'] < 0.5


def test_hook_logs_before_training_and_every_epoch(repo_root, shared_data,
                                                   tmp_path):
    cfg = Config.fromfile(str(repo_root / PRETRAIN))
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.max_epochs = 2
    cfg.train_dataloader.dataset.ann_file = str(shared_data / 'real' /
                                                'wlasl50_dev.pkl')
    cfg.param_scheduler = []
    cfg.custom_hooks = [
        dict(
            type='RepresentationMonitorHook',
            dataloader=_probe(shared_data / 'real' / 'wlasl50_dev.pkl'))
    ]
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=100)
    cfg.log_level = 'WARNING'
    torch.set_num_threads(2)
    runner = Runner.from_cfg(cfg)
    runner.train()
    scalars = sorted(tmp_path.glob('*/vis_data/scalars.json'))[-1]
    lines = [json.loads(line) for line in scalars.read_text().splitlines()]
    monitor = [line for line in lines if 'monitor/eff_rank' in line]
    assert [line['step'] for line in monitor] == [0, 1, 2]
    for line in monitor:
        assert 0 <= line['monitor/knn_top1'] <= 1
        assert line['monitor/eff_rank'] > 1


def test_interval_must_be_positive():
    with pytest.raises(ValueError, match='interval'):
        RepresentationMonitorHook(dict(), interval=0)
