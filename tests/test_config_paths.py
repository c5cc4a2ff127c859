"""mmaction_masa.config_paths: ``mmaction_masa::NAME`` config bases (from
the source checkout here; tests/test_install.py checks the wheel)."""
from pathlib import Path

import pytest
from mmengine.config import Config

import mmaction_masa  # noqa: F401  applies patch_config_paths
from mmaction_masa.config_paths import (CONFIG_PREFIX, config_roots,
                                        patch_config_paths,
                                        resolve_config_path)

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_resolves_in_the_checkout():
    assert CONFIG_PREFIX == 'mmaction_masa::'
    assert config_roots() == [REPO_ROOT / 'configs']
    assert resolve_config_path('masa_pretrain_wlasl.py') == str(
        REPO_ROOT / 'configs' / 'masa_pretrain_wlasl.py')
    assert resolve_config_path('mmaction_masa::_base_/masa_finetune.py') == (
        str(REPO_ROOT / 'configs' / '_base_' / 'masa_finetune.py'))
    with pytest.raises(
            FileNotFoundError,
            match=r"mmaction_masa::nope\.py: no such config "
            r'\(searched .*configs\)'):
        resolve_config_path('nope.py')


def test_patch_is_applied_once():
    assert getattr(Config._get_cfg_path, 'mmaction_masa_paths', False)
    assert patch_config_paths() is False


def test_prefixed_base_is_the_shipped_config(tmp_path):
    """A top-level name (which MMEngine's own ``pkg::`` parser refuses) and
    a ``_base_/`` name load as the files themselves; no ``_scope_`` is
    added (the modules are in MMAction2's registries)."""
    (tmp_path / 'mine.py').write_text(
        "_base_ = 'mmaction_masa::masa_pretrain_wlasl.py'\n"
        'train_dataloader = dict(batch_size=4)\n')
    mine = Config.fromfile(tmp_path / 'mine.py')
    shipped = Config.fromfile(REPO_ROOT / 'configs' / 'masa_pretrain_wlasl.py')
    assert mine.model.to_dict() == shipped.model.to_dict()
    assert '_scope_' not in mine.model
    assert mine.train_dataloader.batch_size == 4
    assert shipped.train_dataloader.batch_size != 4
    (tmp_path / 'base.py'
     ).write_text("_base_ = ['mmaction_masa::_base_/masa_finetune.py']\n")
    base = Config.fromfile(tmp_path / 'base.py')
    assert base.model.backbone.type == 'MASABackbone'
    assert base.model.backbone.init_cfg.checkpoint == (
        'work_dirs/masa_pretrain_islr4/epoch_400.pth')


def test_other_packages_keep_mmengines_resolution(tmp_path):
    (tmp_path / 'theirs.py'
     ).write_text("_base_ = 'mmaction::_base_/default_runtime.py'\n")
    theirs = Config.fromfile(tmp_path / 'theirs.py')
    assert theirs.default_scope == 'mmaction'
    (tmp_path /
     'missing.py').write_text("_base_ = 'mmaction_masa::finetune/nope.py'\n")
    with pytest.raises(FileNotFoundError, match='finetune/nope.py'):
        Config.fromfile(tmp_path / 'missing.py')
