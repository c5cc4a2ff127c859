"""epoch_options: a new training length with the schedule scaled alike."""
import argparse

import pytest
from mmengine.config import Config, DictAction

from mmaction_masa.apis.schedule import epoch_options


def _merged(repo_root, config, epochs):
    """The config as ``tools/train.py --cfg-options OPTIONS`` merges it."""
    cfg = Config.fromfile(str(repo_root / config))
    options = epoch_options(cfg, epochs)
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg.merge_from_dict(
        parser.parse_args(['--cfg-options', *options]).cfg_options)
    return cfg, options


def test_pretrain_warmup_and_decay_follow_the_new_length(repo_root):
    # configs/dev: 6 warm-up epochs, linear decay to 0 at epoch 60, the
    # SA weight ramps over 15 epochs.
    options = epoch_options(
        str(repo_root / 'configs/dev/masa_pretrain_wlasl50dev.py'), 200)
    assert options == [
        'train_cfg.max_epochs=200', 'param_scheduler.0.begin=0',
        'param_scheduler.0.end=20', 'param_scheduler.1.begin=20',
        'param_scheduler.1.end=200', 'custom_hooks.0.ramp_epochs=50'
    ]


def test_one_epoch_keeps_every_scheduler_valid(repo_root):
    cfg, _ = _merged(repo_root, 'configs/dev/masa_pretrain_wlasl50dev.py', 1)
    warmup, decay = cfg.param_scheduler
    assert (warmup['begin'], warmup['end']) == (0, 1)
    assert (decay['begin'], decay['end']) == (1, 2)  # end > begin
    assert cfg.custom_hooks[0]['ramp_epochs'] == 1
    assert cfg.train_cfg.max_epochs == 1


def test_milestones_and_cosine_length(repo_root):
    cfg, _ = _merged(repo_root, 'configs/dev/masa_finetune_wlasl50dev.py', 20)
    assert cfg.param_scheduler[0]['milestones'] == [10, 15]  # of [20, 30]/40
    cfg, _ = _merged(repo_root, 'configs/dev/stgcnpp_wlasl50dev.py', 80)
    assert cfg.param_scheduler[0]['T_max'] == 80
    assert cfg.train_cfg.max_epochs == 80


def test_iteration_based_and_dict_schedulers():
    cfg = Config(
        dict(
            train_cfg=dict(max_epochs=10),
            param_scheduler=dict(type='MultiStepLR', milestones=[5, 8])))
    assert epoch_options(cfg, 20) == [
        'train_cfg.max_epochs=20', 'param_scheduler.milestones=[10,16]'
    ]
    cfg = Config(
        dict(
            train_cfg=dict(max_epochs=10),
            param_scheduler=[
                dict(type='LinearLR', by_epoch=False, begin=0, end=500)
            ]))
    assert epoch_options(cfg, 20) == ['train_cfg.max_epochs=20']


def test_bad_requests_are_errors():
    cfg = Config(dict(train_cfg=dict(type='IterBasedTrainLoop', max_iters=9)))
    with pytest.raises(ValueError, match='no train_cfg.max_epochs'):
        epoch_options(cfg, 5)
    with pytest.raises(ValueError, match='max_epochs must be >= 1'):
        epoch_options(Config(dict(train_cfg=dict(max_epochs=3))), 0)
