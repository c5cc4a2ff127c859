"""Two-process (gloo, CPU) MASA pre-training through ``tools/dist_train.sh``.

The run is compared with a single-process run of the same global batch.
Exact agreement needs every rank's batch to carry the statistics of the
global batch (BatchNorm normalises each rank's batch on its own), so the
annotation file holds every synthetic clip twice, at positions ``2i`` and
``2i + 1``: with ``shuffle=False`` rank 0 reads the first copies, rank 1 the
second ones, and a global batch of ``2B`` holds each clip of the ranks'
batches twice (same mean and biased variance). The pipeline is made
deterministic (centre sampling, ``mask_ratio=1`` masks exactly the
candidate set, ``drop_ratio=0`` keeps every frame of the second view),
dropout is 0 and SGD is used, so a wrong gradient scale (sum instead of
mean over ranks) changes the losses after the first step.

The key branch encodes its views batch-shuffled across ranks (MoCo's
shuffling BN): a rank's keys are normalised with the statistics of a random
half of the global batch, so keys (and ``L_s``) differ from a single
process by design. ``align_weight=0`` keeps ``L_s`` out of the gradients,
which keeps the ``L_m`` trajectories of both runs identical; the keys are
checked for their place in the queue (rank order), not for their values.

A probe hook (written next to the config) saves, on every rank, the losses
and ``queue_ptr`` after each iteration and the key queue before and after
training.
"""
import json
import os
import pickle
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
import torch

from mmaction_masa.datasets.converters import make_synthetic_signs

#: Samples per rank per iteration.
BATCH = 4
#: Processes of the distributed run.
WORLD_SIZE = 2
#: Training iterations.
ITERS = 3
#: Length of the key queue (more than WORLD_SIZE * BATCH * ITERS).
QUEUE_LEN = 32
#: Distinct synthetic clips (each stored twice).
NUM_CLIPS = 8
#: Frames per clip of the pipeline.
CLIP_LEN = 16

PROBE_HOOK = '''\
"""Saves per-rank losses and the key queue of a MASA run."""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS


def _head(runner):
    model = runner.model.module if is_model_wrapper(runner.model) \\
        else runner.model
    return model.align_head


@HOOKS.register_module()
class DistProbeHook(Hook):
    """Record losses, queue pointer and queue on every rank."""

    def before_train(self, runner):
        self.records = []
        self.initial_queue = _head(runner).queue.clone()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.records.append(
            dict(
                frame_dirs=[s.frame_dir for s in data_batch['data_samples']],
                losses={k: float(v) for k, v in outputs.items()},
                queue_ptr=int(_head(runner).queue_ptr)))

    def after_train(self, runner):
        torch.save(
            dict(
                records=self.records,
                initial_queue=self.initial_queue,
                queue=_head(runner).queue.clone()),
            osp.join(runner.work_dir, f'probe_rank{get_rank()}.pt'))
'''

#: The model bases of the config (the tiny MASA of the pre-training recipe).
MODEL_BASES = ('masa_pretrain.py', 'masa_tiny.py')

CONFIG = '''\
_base_ = {bases!r}
default_scope = 'mmaction'
custom_imports = dict(
    imports=['mmaction_masa', 'dist_probe'], allow_failed_imports=False)
# The tiny MASA without dropout.
model = dict(
    backbone=dict(
        _base_.tiny_backbone,
        embedding=dict(_base_.tiny_backbone.embedding, dropout=0.0),
        dropout=0.0),
    neck=dict(_base_.tiny_neck, dropout=0.0, max_frames=64),
    align_head=dict(_base_.tiny_align_head, queue_len={queue_len}),
    mask_head=_base_.tiny_mask_head,
    momentum=0.1,
    align_weight=0.0)
pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len={clip_len}, test_mode=True),
    dict(type='MotionAwareMask', motion_thr=2.0, mask_ratio=1.0),
    dict(type='RandomTemporalSample', drop_ratio=0.0),
    dict(
        type='PackSignInputs',
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight', 'view2'))
]
train_dataloader = dict(
    batch_size={batch},
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ISLRDataset',
        ann_file={ann_file!r},
        split='train',
        pipeline=pipeline))
train_cfg = dict(type='IterBasedTrainLoop', max_iters={iters})
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9))
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='CheckpointHook', interval={iters}, by_epoch=False))
custom_hooks = [dict(type='DistProbeHook')]
log_processor = dict(by_epoch=False, window_size=1)
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
'''


def _free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def setup(tmp_path_factory, repo_root: Path) -> Dict:
    """Annotation file (each clip twice), probe hook and config."""
    root = tmp_path_factory.mktemp('dist_pretrain')
    clips = make_synthetic_signs(
        num_classes=NUM_CLIPS, signers=1, test_signers=0, reps=1,
        seed=3)['annotations']
    annotations = [
        dict(clip, frame_dir=f'{clip["frame_dir"]}_copy{copy}')
        for clip in clips for copy in range(WORLD_SIZE)
    ]
    ann_file = root / 'ann.pkl'
    ann_file.write_bytes(
        pickle.dumps(
            dict(
                split=dict(train=[a['frame_dir'] for a in annotations]),
                annotations=annotations)))
    (root / 'dist_probe.py').write_text(PROBE_HOOK)
    config = root / 'masa_tiny.py'
    config.write_text(
        CONFIG.format(
            bases=[
                str(repo_root / 'configs' / '_base_' / 'models' / name)
                for name in MODEL_BASES
            ],
            queue_len=QUEUE_LEN,
            clip_len=CLIP_LEN,
            batch=BATCH,
            iters=ITERS,
            ann_file=str(ann_file)))
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(root), os.environ.get('PYTHONPATH')])),
        OMP_NUM_THREADS='1',
        PORT=str(_free_port()))
    # dist_train.sh takes the project's .venv by itself (no PYTHON=); only
    # a checkout without one needs this interpreter named.
    env.pop('PYTHON', None)
    repo = Path(__file__).resolve().parents[2]
    if not (repo / '.venv' / 'bin' / 'python').exists():
        env['PYTHON'] = sys.executable
    return dict(root=root, config=config, env=env)


def _run(command: List[str],
         env: Dict[str, str],
         cwd: Path,
         timeout: int = 120) -> subprocess.CompletedProcess:
    """Run a command; fail with its output when it fails."""
    proc = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout)
    assert proc.returncode == 0, (
        f'{" ".join(command)} exited {proc.returncode}\n'
        f'{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}')
    return proc


@pytest.fixture(scope='module')
def runs(setup: Dict, repo_root: Path) -> Dict[str, Path]:
    """Work directories of the 2-process and the 1-process run."""
    dist_dir = setup['root'] / 'dist'
    single_dir = setup['root'] / 'single'
    _run([
        'bash', 'tools/dist_train.sh',
        str(setup['config']),
        str(WORLD_SIZE), '--work-dir',
        str(dist_dir)
    ], setup['env'], repo_root)
    _run([
        sys.executable, 'tools/train.py',
        str(setup['config']), '--work-dir',
        str(single_dir), '--cfg-options',
        f'train_dataloader.batch_size={WORLD_SIZE * BATCH}'
    ], setup['env'], repo_root)
    return dict(dist=dist_dir, single=single_dir)


def _probe(work_dir: Path, rank: int) -> Dict:
    """What the probe hook saved on ``rank``."""
    return torch.load(work_dir / f'probe_rank{rank}.pt', weights_only=False)


def _json_log(work_dir: Path) -> List[Dict]:
    """Training entries of the json scalar log of a run."""
    logs = sorted(work_dir.glob('*/vis_data/scalars.json'))
    assert len(logs) == 1, logs
    lines = logs[0].read_text().splitlines()
    return [json.loads(line) for line in lines if 'loss' in line]


def test_both_ranks_finish(runs: Dict[str, Path]) -> None:
    probes = [_probe(runs['dist'], rank) for rank in range(WORLD_SIZE)]
    for probe in probes:
        assert len(probe['records']) == ITERS
    # Rank r reads copy r of every clip, in the same clip order.
    for step in range(ITERS):
        names = [p['records'][step]['frame_dirs'] for p in probes]
        assert all(n.endswith('_copy1') for n in names[1])
        assert names[0] == [n.replace('_copy1', '_copy0') for n in names[1]]
    assert (runs['dist'] / f'iter_{ITERS}.pth').is_file()
    assert len(_json_log(runs['dist'])) == ITERS


def test_queue_holds_keys_of_both_ranks(runs: Dict[str, Path]) -> None:
    probes = [_probe(runs['dist'], rank) for rank in range(WORLD_SIZE)]
    per_step = WORLD_SIZE * BATCH
    for probe in probes:
        assert [r['queue_ptr'] for r in probe['records']] == [
            per_step * (step + 1) % QUEUE_LEN for step in range(ITERS)
        ]
    # Every rank enqueued the keys of every rank, in rank order.
    torch.testing.assert_close(
        probes[0]['queue'], probes[1]['queue'], rtol=0, atol=0)
    torch.testing.assert_close(
        probes[0]['initial_queue'], probes[1]['initial_queue'], rtol=0, atol=0)
    changed = (probes[0]['queue'] != probes[0]['initial_queue']).any(1)
    assert changed.tolist() == [True] * (per_step * ITERS) + [False] * (
        QUEUE_LEN - per_step * ITERS)
    state = torch.load(
        runs['dist'] / f'iter_{ITERS}.pth', weights_only=False)['state_dict']
    assert int(state['align_head.queue_ptr']) == per_step * ITERS % QUEUE_LEN
    torch.testing.assert_close(
        state['align_head.queue'], probes[0]['queue'], rtol=0, atol=0)


def test_matches_single_process(runs: Dict[str, Path]) -> None:
    dist = [_probe(runs['dist'], rank) for rank in range(WORLD_SIZE)]
    single = _probe(runs['single'], 0)
    for step in range(ITERS):
        expected = single['records'][step]['losses']
        for probe in dist:
            got = probe['records'][step]['losses']
            assert got['loss_motion'] == pytest.approx(
                expected['loss_motion'], rel=1e-4), step
            assert got['loss_align'] == expected['loss_align'] == 0
    assert single['records'][-1]['queue_ptr'] == dist[0]['records'][-1][
        'queue_ptr']
    # The json log of rank 0 holds the same first-iteration loss.
    first_dist, first_single = (
        _json_log(runs[k])[0] for k in ('dist', 'single'))
    assert first_dist['loss_motion'] == pytest.approx(
        first_single['loss_motion'], rel=1e-3)
