"""``tools/train.py`` / ``tools/test.py`` on the real WLASL development set:
MASA pre-training -> fine-tuning -> testing, and the ST-GCN++ baseline,
each for one epoch of the shipped dev configs."""
import json
import subprocess
import sys

import pytest
import torch

DEV = '../shared/data/real/wlasl50_dev.pkl'
#: 16 clips per split, batches of 8: two iterations an epoch.
SMALL = [
    f'{split}_dataloader.{key}' for split in ('train', 'test')
    for key in ('dataset.indices=16', 'batch_size=8')
]
METRICS = ('acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5')


def tool(repo_root, *args):
    """Run a tool from the repository root; return its output."""
    proc = subprocess.run([sys.executable, *args],
                          cwd=repo_root,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


def metrics_of(output):
    """The JSON line ``tools/test.py`` prints last."""
    line = [ln for ln in output.splitlines() if ln.startswith('{')][-1]
    metrics = json.loads(line)
    assert all(0 <= metrics[k] <= 1 for k in METRICS), metrics
    return metrics


@pytest.fixture(scope='module')
def pretrained(shared_data, repo_root, tmp_path_factory):
    """One epoch of MASA pre-training on the dev training clips."""
    work_dir = tmp_path_factory.mktemp('masa_pretrain')
    output = tool(repo_root, 'tools/train.py',
                  'configs/dev/masa_pretrain_wlasl50dev.py', '--work-dir',
                  str(work_dir), '--cfg-options', 'train_cfg.max_epochs=1',
                  'default_hooks.checkpoint.interval=1',
                  'train_dataloader.dataset.indices=16',
                  'train_dataloader.batch_size=8')
    assert 'loss_motion' in output and 'loss_align' in output
    return work_dir / 'epoch_1.pth'


def test_masa_pretrain_finetune_test_round_trip(pretrained, repo_root,
                                                tmp_path):
    assert pretrained.is_file()
    work_dir = tmp_path / 'finetune'
    output = tool(repo_root, 'tools/train.py',
                  'configs/dev/masa_finetune_wlasl50dev.py', '--work-dir',
                  str(work_dir), '--cfg-options', 'train_cfg.max_epochs=1',
                  'default_hooks.checkpoint.interval=1', *SMALL,
                  f'model.backbone.init_cfg.checkpoint={pretrained}')
    # Pretrained loads non-strictly: every backbone weight must be found.
    assert f'in model from: {pretrained}' in output
    assert 'missing keys' not in output
    output = tool(repo_root, 'tools/test.py',
                  'configs/dev/masa_finetune_wlasl50dev.py',
                  str(work_dir / 'epoch_1.pth'), '--work-dir',
                  str(tmp_path / 'test'), '--dump', str(tmp_path / 'dump.pkl'),
                  '--cfg-options', 'model.backbone.init_cfg=None', *SMALL)
    metrics_of(output)
    assert (tmp_path / 'dump.pkl').is_file()


def test_stgcnpp_baseline_train_then_test(shared_data, repo_root, tmp_path):
    # Narrow channels keep the CPU test short; the architecture is the same.
    narrow = [
        'model.backbone.base_channels=16', 'model.cls_head.in_channels=64',
        *SMALL
    ]
    tool(repo_root,
         'tools/train.py', 'configs/dev/stgcnpp_wlasl50dev.py', '--work-dir',
         str(tmp_path), '--cfg-options', 'train_cfg.max_epochs=1',
         'default_hooks.checkpoint.interval=1', *narrow)
    output = tool(repo_root, 'tools/test.py',
                  'configs/dev/stgcnpp_wlasl50dev.py',
                  str(tmp_path / 'epoch_1.pth'), '--work-dir',
                  str(tmp_path / 'test'), '--cfg-options', *narrow)
    metrics_of(output)


def _backbone_of(pretrained):
    from mmaction_masa.safe_loading import load_checkpoint_file
    state = load_checkpoint_file(str(pretrained))['state_dict']
    return {
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    }


@pytest.mark.parametrize('fmt', ['pth', 'safetensors'])
def test_shipped_finetune_config_takes_full_checkpoint_or_export(
        pretrained, repo_root, tmp_path, fmt):
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmaction.registry import MODELS
    export = tmp_path / f'backbone.{fmt}'
    tool(repo_root, 'tools/export_backbone.py', str(pretrained), str(export),
         '--format', fmt)
    cfg = Config.fromfile(
        str(repo_root / 'configs/dev/masa_finetune_wlasl50dev.py'))
    assert cfg.model.backbone.init_cfg.prefix == 'backbone.'
    init_default_scope('mmaction')
    expected = _backbone_of(pretrained)
    for source in (pretrained, export):
        cfg.model.backbone.init_cfg.checkpoint = str(source)
        backbone = MODELS.build(cfg.model.backbone)
        backbone.init_weights()
        state = backbone.state_dict()
        assert set(state) == set(expected)
        for key, value in expected.items():
            assert torch.equal(state[key], value), (source, key)


def test_finetune_from_exported_backbone_cli(pretrained, repo_root, tmp_path):
    export = tmp_path / 'backbone.safetensors'
    tool(repo_root, 'tools/export_backbone.py', str(pretrained), str(export),
         '--format', 'safetensors')
    output = tool(repo_root, 'tools/train.py',
                  'configs/dev/masa_finetune_wlasl50dev.py', '--work-dir',
                  str(tmp_path / 'finetune'), '--cfg-options',
                  'train_cfg.max_epochs=1', *SMALL,
                  f'model.backbone.init_cfg.checkpoint={export}')
    assert f'{export} is an exported backbone' in output
    assert 'missing keys' not in output


def test_test_py_refuses_pretraining_checkpoint(pretrained, repo_root,
                                                tmp_path):
    proc = subprocess.run([
        sys.executable, 'tools/test.py',
        'configs/dev/masa_finetune_wlasl50dev.py',
        str(pretrained), '--work-dir',
        str(tmp_path), '--cfg-options', 'model.backbone.init_cfg=None', *SMALL
    ],
                          cwd=repo_root,
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert 'CheckpointMismatchError' in proc.stderr
    assert 'missing keys: cls_head.fc.weight' in proc.stderr
    assert 'unexpected keys:' in proc.stderr  # the MASA heads, EMA branch
