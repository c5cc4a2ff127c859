"""A tiny MASA recognizer fine-tuned once per test session, and its dumps.

:func:`write_tiny_config` writes a small but complete fine-tuning config (the
tiny :class:`MASABackbone` of ``configs/_base_/models/masa_tiny.py`` +
``GCNHead``) for the real WLASL development pickle;
``trained_recognizer`` trains it for one epoch with ``tools/train.py`` and
``score_dumps`` runs ``tools/test.py --dump`` with it twice (16- and
8-frame clips, standing in for two models to fuse). All are
session-scoped, so the tool tests share one training run.
"""
import importlib.util
import runpy
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Dict, List, NamedTuple

import pytest


def load_tool(repo_root: Path, script: str) -> ModuleType:
    """Import a tool script as a module.

    Args:
        repo_root (Path): The repository root.
        script (str): Path below ``tools/``, e.g. ``'data/build_wlasl.py'``.

    Returns:
        ModuleType: The executed module.
    """
    path = repo_root / 'tools' / script
    name = 'tool_' + script.replace('/', '_')[:-len('.py')]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Classes of ``wlasl50_dev.pkl``.
NUM_CLASSES = 25
#: Width of the tiny backbone (``tiny_dims`` of ``masa_tiny.py``).
EMBED_DIMS = 24
#: Frames per test clip of the tiny config.
CLIP_LEN = 16
#: The recognizer and the tiny widths the written config inherits.
MODEL_BASES = tuple(
    str(
        Path(__file__).resolve().parents[2] / 'configs' / '_base_' / 'models' /
        name) for name in ('masa_recognizer.py', 'masa_tiny.py'))

CONFIG_TEMPLATE = '''\
_base_ = {bases!r}
default_scope = 'mmaction'
custom_imports = dict(imports=['mmaction_masa'], allow_failed_imports=False)
model = dict(
    backbone=_base_.tiny_backbone,
    cls_head=dict(num_classes={num_classes}, in_channels=_base_.tiny_dims))
test_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len={clip_len}, test_mode=True),
    dict(type='PackSignInputs')
]
train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len={clip_len}),
    dict(type='PackSignInputs')
]
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ISLRDataset',
        ann_file={ann_file!r},
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ISLRDataset',
        ann_file={ann_file!r},
        split='test',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='ISLRMetric', topk=(1, 5))
test_evaluator = val_evaluator
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs={max_epochs}, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=3e-3))
default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)
log_level = 'WARNING'
load_from = None
resume = False
randomness = dict(seed=0)
'''


def write_tiny_config(path: Path, ann_file: Path, max_epochs: int = 2) -> Path:
    """Write the tiny fine-tuning config for ``ann_file`` to ``path``.

    Args:
        path (Path): The ``.py`` config file to write.
        ann_file (Path): Annotation pickle with ``train`` / ``test`` splits
            and labels below :data:`NUM_CLASSES`.
        max_epochs (int): Training epochs. Defaults to 2.

    Returns:
        Path: ``path``.
    """
    path.write_text(
        CONFIG_TEMPLATE.format(
            bases=list(MODEL_BASES),
            num_classes=NUM_CLASSES,
            clip_len=CLIP_LEN,
            ann_file=str(ann_file),
            max_epochs=max_epochs))
    return path


def _command(repo_root: Path, script: str, *args) -> List[str]:
    """Command line running ``tools/<script>`` with this interpreter."""
    return [sys.executable, str(repo_root / 'tools' / script), *map(str, args)]


def _check(proc: subprocess.CompletedProcess, script: str) -> None:
    """Fail with the tool's output when it exited non-zero."""
    assert proc.returncode == 0, (
        f'{script} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n'
        f'{proc.stderr[-3000:]}')


def run_tool(repo_root: Path, script: str, *args) -> str:
    """Run ``tools/<script>`` in a subprocess; return its stdout.

    Raises:
        AssertionError: the tool exits with a non-zero status (its output
            is in the message).
    """
    proc = subprocess.run(
        _command(repo_root, script, *args),
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300)
    _check(proc, script)
    return proc.stdout


def call_script(repo_root: Path, script: str, *args: str) -> int:
    """Run ``tools/<script>``'s ``main()`` in this process (no interpreter
    start-up); return its exit status. Output goes to pytest's capture."""
    namespace = runpy.run_path(
        str(repo_root / 'tools' / script), run_name='tool_under_test')
    argv = sys.argv
    sys.argv = [script, *map(str, args)]
    try:
        return namespace['main']()
    finally:
        sys.argv = argv


class TrainedRecognizer(NamedTuple):
    """The session's tiny fine-tuned recognizer."""

    config: Path
    checkpoint: Path
    work_dir: Path
    ann_file: Path


@pytest.fixture(scope='session')
def trained_recognizer(tmp_path_factory, repo_root: Path,
                       shared_data: Path) -> TrainedRecognizer:
    """Train the tiny config for one epoch on ``wlasl50_dev.pkl``."""
    root = tmp_path_factory.mktemp('tiny_recognizer')
    ann_file = shared_data / 'real' / 'wlasl50_dev.pkl'
    config = write_tiny_config(
        root / 'tiny_masa_finetune.py', ann_file, max_epochs=1)
    work_dir = root / 'work_dir'
    run_tool(repo_root, 'train.py', config, '--work-dir', work_dir)
    checkpoint = work_dir / 'epoch_1.pth'
    assert checkpoint.is_file(), sorted(p.name for p in work_dir.iterdir())
    return TrainedRecognizer(config, checkpoint, work_dir, ann_file)


@pytest.fixture(scope='session')
def score_dumps(trained_recognizer: TrainedRecognizer,
                repo_root: Path) -> Dict[str, Path]:
    """``tools/test.py --dump`` of the test split: 16- and 8-frame clips
    (the two runs go in parallel)."""
    root = trained_recognizer.work_dir
    dumps = {f'clip{n}': root / f'dump_{n}.pkl' for n in (CLIP_LEN, 8)}
    procs = [
        subprocess.Popen(
            _command(
                repo_root, 'test.py', trained_recognizer.config,
                trained_recognizer.checkpoint, '--dump', dump, '--work-dir',
                root / f'test_{name}', '--cfg-options',
                f'test_dataloader.dataset.pipeline.2.clip_len='
                f'{name[4:]}'),
            cwd=repo_root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True) for name, dump in dumps.items()
    ]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        _check(
            subprocess.CompletedProcess(proc.args, proc.returncode, stdout,
                                        stderr), 'test.py')
    return dumps


# --- Videos as people record them, made from FOOTBALL.mp4 with OpenCV ---

#: Frames of FOOTBALL.mp4 (decoded) and its container frame rate.
FOOTBALL_FRAMES, FOOTBALL_FPS = 62, 29.97


def write_video_file(path: Path, frames, fps: float) -> Path:
    """Write BGR frames losslessly (PNG frames in a QuickTime ``.mov``),
    so that equal frames decode to equal pixels in every derived video.

    Args:
        path (Path): The ``.mov`` file.
        frames (Sequence[np.ndarray]): Frames of one size.
        fps (float): The frame rate the container states.

    Returns:
        Path: ``path``.
    """
    import cv2
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*'png '), fps, (width, height))
    assert writer.isOpened(), path
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def set_rotation(path: Path, out: Path, degrees: int) -> Path:
    """Copy a QuickTime file with a display rotation in its track header
    (``tkhd`` matrix), as phones store portrait video.

    Args:
        path (Path): A ``.mov`` / ``.mp4`` file with one track.
        out (Path): The copy.
        degrees (int): Clockwise rotation for display: 90 or 270.

    Returns:
        Path: ``out``.
    """
    import struct
    data = bytearray(path.read_bytes())
    box = data.find(b'tkhd')
    offset = box - 4 + (60 if data[box + 4] == 1 else 48)
    sin = {90: 1, 270: -1}[degrees]
    matrix = (0, (sin << 16) & 0xffffffff, 0, (-sin << 16) & 0xffffffff, 0, 0,
              0, 0, 0x40000000)
    data[offset:offset + 36] = struct.pack('>9I', *matrix)
    out.write_bytes(bytes(data))
    return out


@pytest.fixture(scope='session')
def recorded_videos(shared_data: Path, tmp_path_factory) -> Dict[str, Path]:
    """Videos made from FOOTBALL.mp4 (62 frames at 29.97 fps):

    * ``original``: the frames, re-written losslessly;
    * ``fps60``: every frame twice at 59.94 fps;
    * ``portrait``: the pixels rotated 90 degrees clockwise with a
      270-degree display rotation in the metadata (a phone's portrait
      recording: upright when played);
    * ``mirrored``: flipped left/right (a selfie-view recording);
    * ``black``: 2 s of black frames (nobody in it);
    * ``partial``: FOOTBALL then 4 s of black (hands in a third of the
      frames);
    * ``take``: FOOTBALL, 2 s of black, FOOTBALL (several signs);
    * ``broken``: a ``.mp4`` holding text, not a video.
    """
    import cv2
    import numpy as np

    from mmaction_masa.datasets.converters.mediapipe_poses import \
        iter_video_frames
    football = shared_data / 'real' / 'FOOTBALL.mp4'
    if not football.is_file():
        pytest.skip(f'needs the real sign video {football}')
    frames = list(iter_video_frames(football))
    assert len(frames) == FOOTBALL_FRAMES
    black = [np.zeros_like(frames[0])] * round(2 * FOOTBALL_FPS)
    root = tmp_path_factory.mktemp('recorded_videos')
    fps = FOOTBALL_FPS
    videos = dict(
        original=write_video_file(root / 'original.mov', frames, fps),
        fps60=write_video_file(root / 'fps60.mov',
                               [f for f in frames for _ in range(2)], 2 * fps),
        mirrored=write_video_file(root / 'mirrored.mov',
                                  [cv2.flip(f, 1) for f in frames], fps),
        black=write_video_file(root / 'black.mov', black, fps),
        partial=write_video_file(root / 'partial.mov', frames + black + black,
                                 fps),
        take=write_video_file(root / 'take.mov', frames + black + frames, fps))
    sideways = write_video_file(
        root / 'sideways.mov',
        [cv2.rotate(f, cv2.ROTATE_90_CLOCKWISE) for f in frames], fps)
    videos['portrait'] = set_rotation(sideways, root / 'portrait.mov', 270)
    videos['broken'] = root / 'broken.mp4'
    videos['broken'].write_text('this is not a video\n')
    return videos


@pytest.fixture(scope='session')
def video_clips(recorded_videos: Dict[str, Path]):
    """MediaPipe poses of the recorded videos, extracted once per session
    (callable: ``video_clips(name)`` -> the clip of ``load_clips``)."""
    from mmaction_masa.apis import load_clips
    cache: Dict[str, dict] = {}

    def clip(name: str) -> dict:
        if name not in cache:
            cache[name], = load_clips([recorded_videos[name]])
        return cache[name]

    return clip
