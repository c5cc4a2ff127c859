"""RNGStateHook: kill -9 at iteration N + ``--resume`` ends with the same
weights, bit for bit, as an uninterrupted ``--deterministic`` run (on CPU);
without the hook the resumed run diverges."""
import random
import subprocess
import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import numpy as np
import pytest
import torch

from mmaction_masa.engine.hooks.rng_state_hook import (capture_rng_states,
                                                       restore_rng_states)
from mmaction_masa.safe_loading import load_checkpoint_file

REPO_ROOT = Path(__file__).resolve().parents[3]
TRAIN = str(REPO_ROOT / 'tools' / 'train.py')

#: Runs tools/train.py and kills itself (SIGKILL) when the training loop
#: reaches iteration argv[1].
KILL_AT = '''\
import os, runpy, signal, sys
from mmengine.runner.loops import EpochBasedTrainLoop
stop, train = int(sys.argv[1]), sys.argv[2]
run_iter = EpochBasedTrainLoop.run_iter
def killing_run_iter(self, idx, data_batch):
    if self._iter == stop:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_iter(self, idx, data_batch)
EpochBasedTrainLoop.run_iter = killing_run_iter
sys.argv = [train] + sys.argv[3:]
runpy.run_path(train, run_name='__main__')
'''


def test_capture_restore_round_trip():
    states = capture_rng_states()
    first = (random.random(), np.random.rand(), torch.rand(1))
    restore_rng_states(states)
    assert (random.random(), np.random.rand()) == first[:2]
    assert torch.equal(torch.rand(1), first[2])


def _tiny_config(shared_data, tmp_path):
    path = REPO_ROOT / 'tests' / 'tools' / 'conftest.py'
    spec = spec_from_file_location('tool_test_helpers_rng', path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_tiny_config(tmp_path / 'tiny.py',
                                    shared_data / 'real' / 'wlasl50_dev.pkl')


def _args(config, work_dir, rng_hook=True):
    # The tiny config has MMEngine's default hooks only.
    hook = ['default_hooks.rng_state.type=RNGStateHook'] if rng_hook else []
    return [
        str(config), '--work-dir',
        str(work_dir), '--seed', '0', '--deterministic', '--cfg-options',
        'train_cfg.max_epochs=3', *hook
    ]


def _run(args, script=None):
    command = [sys.executable, *([str(script)] if script else []), *args]
    return subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def _killed_then_resumed(config, work_dir, script, rng_hook):
    """Train, SIGKILL at iteration 7 (epoch 2 of 3, 5 iterations each),
    resume; return the final weights."""
    killed = _run(['7', TRAIN, *_args(config, work_dir, rng_hook)], script)
    assert killed.returncode == -9, killed.stderr[-3000:]
    assert not (work_dir / 'epoch_2.pth').exists()
    resumed = _run([TRAIN, *_args(config, work_dir, rng_hook), '--resume'])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f'from path: {work_dir / "epoch_1.pth"}' in resumed.stdout
    return load_checkpoint_file(str(work_dir / 'epoch_3.pth'))['state_dict']


@pytest.mark.parametrize('rng_hook', [True, False], ids=['hook', 'no_hook'])
def test_kill_and_resume_matches_uninterrupted_run(shared_data, tmp_path,
                                                   rng_hook):
    config = _tiny_config(shared_data, tmp_path)
    script = tmp_path / 'kill_at.py'
    script.write_text(KILL_AT)
    full = _run([TRAIN, *_args(config, tmp_path / 'full', rng_hook)])
    assert full.returncode == 0, full.stderr[-3000:]
    expected = load_checkpoint_file(str(tmp_path / 'full' /
                                        'epoch_3.pth'))['state_dict']
    resumed = _killed_then_resumed(config, tmp_path / 'resumed', script,
                                   rng_hook)
    assert set(resumed) == set(expected)
    differing = [
        k for k in expected if not torch.equal(resumed[k], expected[k])
    ]
    if rng_hook:
        assert differing == []  # bit-identical
    else:
        # The test can fail: without the states the run diverges.
        assert differing


def test_resume_from_inside_an_epoch_warns(shared_data, tmp_path):
    config = _tiny_config(shared_data, tmp_path)
    work_dir = tmp_path / 'work'
    args = [
        *_args(config, work_dir), 'default_hooks.checkpoint.by_epoch=False',
        'default_hooks.checkpoint.interval=3', 'train_cfg.max_epochs=1'
    ]
    assert _run([TRAIN, *args]).returncode == 0
    resumed = _run([
        TRAIN, *args[:-1], 'train_cfg.max_epochs=2', '--resume',
        str(work_dir / 'iter_3.pth')
    ])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert ('saved at iteration 3, inside epoch 1 (5 iterations each)'
            in resumed.stdout)
