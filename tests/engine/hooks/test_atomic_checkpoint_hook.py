"""AtomicCheckpointHook: a kill -9 while a checkpoint is written (a
deliberately slowed disk write) loses nothing, and ``--resume`` continues
from the previous checkpoint."""
import os
import signal
import subprocess
import sys
import time
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest
from mmengine.config import Config

from mmaction.registry import HOOKS
from mmaction_masa.engine import AtomicCheckpointHook
from mmaction_masa.safe_loading import load_checkpoint_file

REPO_ROOT = Path(__file__).resolve().parents[3]

#: Runs tools/train.py with LocalBackend.put stalled (after writing half the
#: bytes) for files whose name contains argv[1]; touches argv[2] then.
SLOW_WRITER = '''\
import os, runpy, sys, time
from mmengine.fileio.backends.local_backend import LocalBackend
stall, marker, train = sys.argv[1:4]
put = LocalBackend.put
def slow_put(self, obj, filepath):
    if stall in os.path.basename(str(filepath)):
        with open(filepath, 'wb') as file:
            file.write(obj[:len(obj) // 2])
            file.flush()
            os.fsync(file.fileno())
        open(marker, 'w').close()
        time.sleep(600)
    return put(self, obj, filepath)
LocalBackend.put = slow_put
sys.argv = [train] + sys.argv[4:]
runpy.run_path(train, run_name='__main__')
'''


def _tool_helpers():
    path = REPO_ROOT / 'tests' / 'tools' / 'conftest.py'
    spec = spec_from_file_location('tool_test_helpers_ckpt', path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checkpoint_hook_name_resolves_to_atomic_hook():
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    assert HOOKS.get('CheckpointHook') is AtomicCheckpointHook
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs' / 'demo' / 'masa_finetune_synthetic.py'))
    assert HOOKS.get(
        cfg.default_hooks.checkpoint.type) is (AtomicCheckpointHook)


@pytest.fixture
def tiny_config(shared_data, tmp_path):
    return _tool_helpers().write_tiny_config(
        tmp_path / 'tiny.py', shared_data / 'real' / 'wlasl50_dev.pkl')


def _train_args(config, work_dir):
    return [
        str(config), '--work-dir',
        str(work_dir), '--no-validate', '--cfg-options',
        'train_cfg.max_epochs=3', 'default_hooks.checkpoint.max_keep_ckpts=1'
    ]


def _kill_during_write(config, work_dir, tmp_path, stall='epoch_2'):
    """Train until the write of ``stall`` has begun, then kill -9."""
    script = tmp_path / 'slow_writer.py'
    script.write_text(SLOW_WRITER)
    marker = tmp_path / 'writing'
    proc = subprocess.Popen([
        sys.executable,
        str(script), stall,
        str(marker),
        str(REPO_ROOT / 'tools' / 'train.py'), *_train_args(config, work_dir)
    ],
                            cwd=REPO_ROOT,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 300
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read()[-3000:]
        assert time.time() < deadline, 'the checkpoint write never started'
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def test_kill_during_checkpoint_write_then_resume(tiny_config, tmp_path):
    work_dir = tmp_path / 'work'
    _kill_during_write(tiny_config, work_dir, tmp_path)
    # The previous checkpoint is intact and still the latest one.
    assert not (work_dir / 'epoch_2.pth').exists()
    previous = work_dir / 'epoch_1.pth'
    assert (work_dir / 'last_checkpoint').read_text() == str(previous)
    assert load_checkpoint_file(str(previous))['meta']['epoch'] == 1
    proc = subprocess.run([
        sys.executable,
        str(REPO_ROOT / 'tools' / 'train.py'),
        *_train_args(tiny_config, work_dir), '--resume'
    ],
                          cwd=REPO_ROOT,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f'from path: {previous}' in proc.stdout  # resumed from epoch 1
    final = load_checkpoint_file(str(work_dir / 'epoch_3.pth'))
    assert final['meta']['epoch'] == 3
    assert sorted(p.name for p in work_dir.glob('*.pth')) == ['epoch_3.pth']
    assert not list(work_dir.glob('.*.partial'))


def test_previous_best_survives_a_failed_best_write(tiny_config, tmp_path,
                                                    monkeypatch):
    from mmengine.fileio.backends.local_backend import LocalBackend
    from mmengine.runner import Runner
    cfg = Config.fromfile(str(tiny_config))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.default_hooks.checkpoint.save_best = 'acc/top1'
    cfg.default_hooks.checkpoint.rule = 'greater'
    runner = Runner.from_cfg(cfg)
    hook = next(h for h in runner.hooks if isinstance(h, AtomicCheckpointHook))
    hook.before_train(runner)
    runner.train_loop._epoch = 1
    hook._save_best_checkpoint(runner, {'acc/top1': 0.1})
    first = Path(hook.best_ckpt_path)
    assert first.name == 'best_acc_top1_epoch_1.pth'

    def failing_put(self, obj, filepath):
        with open(filepath, 'wb') as file:
            file.write(obj[:len(obj) // 2])
        raise OSError('disk full')

    monkeypatch.setattr(LocalBackend, 'put', failing_put)
    runner.train_loop._epoch = 2
    with pytest.raises(OSError, match='disk full'):
        hook._save_best_checkpoint(runner, {'acc/top1': 0.2})
    # The previous best is complete and kept; no partial file is left.
    assert load_checkpoint_file(str(first))['meta']['epoch'] == 1
    assert sorted(p.name for p in first.parent.iterdir()
                  if p.suffix in ('.pth', '.partial')) == [first.name]


def test_atomic_output_keeps_old_file_on_failure(tmp_path):
    from mmaction_masa.engine.hooks.atomic_checkpoint_hook import atomic_output
    target = tmp_path / 'backbone.pth'
    target.write_bytes(b'old')
    with pytest.raises(RuntimeError, match='crash'):
        with atomic_output(str(target)) as partial:
            Path(partial).write_bytes(b'half')
            raise RuntimeError('crash')
    assert target.read_bytes() == b'old'
    with atomic_output(str(target)) as partial:
        Path(partial).write_bytes(b'new')
    assert target.read_bytes() == b'new'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['backbone.pth']
