"""Each stack fix of :mod:`mmaction_masa.compat`, proven: the failure
without the fix (where it can be reproduced in a subprocess) and the working
path with it."""
import importlib.metadata as metadata
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint
from mmengine.utils import digit_version

import mmaction_masa  # noqa: F401  (applies the fixes)
from mmaction_masa import compat
from mmaction_masa.sign_layout import sign_joint_names


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=300)


def test_drn_stub_makes_mmaction_models_importable():
    import mmaction.models  # noqa: F401
    from mmaction.models.localizers import DRN
    with pytest.raises(ImportError, match='2714'):
        DRN()
    # Installing twice is a no-op.
    assert compat.install_drn_stub() is False


def test_mmaction_models_fails_without_the_stub():
    if compat._DRN_MODULE not in sys.modules or hasattr(
            sys.modules[compat._DRN_MODULE], '__file__'):
        pytest.skip('this mmaction2 ships the real DRN module')
    result = _python('import mmaction.models')
    assert result.returncode != 0
    assert "No module named 'mmaction.models.localizers.drn'" in result.stderr


def test_importlib_metadata_dependency_installed():
    # mmaction.utils.dependency imports it without declaring it.
    import importlib_metadata  # noqa: F401

    import mmaction.utils.dependency  # noqa: F401


def test_setuptools_below_82_keeps_mmaction_base_configs(tmp_path):
    assert digit_version(
        metadata.version('setuptools')) < digit_version('82.0.0')
    import pkg_resources  # noqa: F401  (removed in setuptools 82)
    cfg_file = tmp_path / 'child.py'
    cfg_file.write_text(
        "_base_ = 'mmaction::skeleton/stgcnpp/"
        "stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py'\n")
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.model.backbone.type == 'STGCN'


def test_numpy_below_2_keeps_mmpose_importable():
    assert digit_version(np.__version__) < digit_version('2.0.0')
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    names = sign_joint_names()
    assert len(names) == 49
    assert names[:3] == ['nose', 'left_shoulder', 'right_shoulder']
    assert parse_pose_metainfo is not None


def test_mmpose_installed_without_chumpy():
    assert metadata.version('mmpose') == '1.3.2'
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.version('chumpy')
    requires = metadata.requires('mmpose') or []
    assert any(r.startswith('chumpy') for r in requires)


def _full_checkpoint(path: Path) -> None:
    buffer = HistoryBuffer()
    buffer.update(1.5)
    torch.save(
        dict(
            state_dict=dict(w=torch.ones(2)),
            message_hub=dict(log_scalars={'train/loss': buffer}),
            meta=dict(epoch=1, seed=np.int64(3))), path)


def test_torch_load_weights_only_breaks_mmengine_without_patch(tmp_path):
    if not compat.needs_checkpoint_patch():
        pytest.skip('this torch/mmengine pair loads checkpoints unpatched')
    ckpt = tmp_path / 'epoch_1.pth'
    _full_checkpoint(ckpt)
    result = _python(
        'from mmengine.runner.checkpoint import _load_checkpoint\n'
        f'_load_checkpoint({str(ckpt)!r}, map_location="cpu")')
    assert result.returncode != 0
    assert 'UnpicklingError' in result.stderr or 'weights_only' in (
        result.stderr)


def test_patched_loader_reads_full_training_checkpoints(tmp_path):
    ckpt = tmp_path / 'epoch_1.pth'
    _full_checkpoint(ckpt)
    loaded = _load_checkpoint(str(ckpt), map_location='cpu')
    assert loaded['meta']['epoch'] == 1
    assert loaded['message_hub']['log_scalars']['train/loss'].current() == (
        1.5)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        compat.load_local_checkpoint(str(tmp_path / 'missing.pth'))
