"""benchmarks/train_throughput.py on the real dev clips (a few steps)."""
import json
import subprocess
import sys

import pytest
from mmengine.config import Config

from mmaction_masa.analysis.train_throughput import measure_train_throughput

CONFIG = 'configs/signs/masa_pretrain_signs.py'


def _dev_options(shared_data):
    """The corpus pre-training config pointed at wlasl50_dev's train clips,
    in batches of 8 (158 clips -> 19 full batches, the last one dropped)."""
    return dict(
        ann_file=str(shared_data / 'real' / 'wlasl50_dev.pkl'),
        split='train',
        num_classes=25)


def test_cli_prints_and_writes_consistent_figures(repo_root, shared_data,
                                                  tmp_path):
    out = tmp_path / 'throughput.json'
    options = [
        f'train_dataloader.dataset.{k}={v}'
        for k, v in _dev_options(shared_data).items()
    ]
    proc = subprocess.run([
        sys.executable, 'benchmarks/train_throughput.py', CONFIG, '--iters',
        '3', '--warmup', '1', '--threads', '1', '--out',
        str(out), '--cfg-options', *options, 'train_dataloader.batch_size=8'
    ],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result['batches_per_epoch'] == 19
    # 3 timed steps of 8 clips: clips/s x s/step = 8 clips per step.
    assert result['clips_per_s'] * result['s_per_step'] == pytest.approx(8)
    assert result['epoch_min'] == pytest.approx(19 * result['s_per_step'] / 60)
    assert 0 < result['data_share'] < 1
    assert 'clips/s' in proc.stdout and '19 batches' in proc.stdout
    # The figures say on which CPU (bfloat16 autocast only where native).
    assert isinstance(result['native_bf16'], bool)
    assert f"CPU {result['cpu_capability']}, native bfloat16" in proc.stdout


def test_too_few_batches_is_an_error(repo_root, shared_data):
    cfg = Config.fromfile(str(repo_root / CONFIG))
    cfg.train_dataloader.dataset.update(_dev_options(shared_data))
    cfg.train_dataloader.batch_size = 64  # 158 clips -> 2 full batches
    with pytest.raises(ValueError, match='2 batches'):
        measure_train_throughput(cfg, iters=2, warmup=1)
