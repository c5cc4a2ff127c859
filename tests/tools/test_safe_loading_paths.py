"""The five paths that read a checkpoint or an annotation pickle refuse a
payload file, and the payload (``os.mkdir(marker)``) does not run:
``tools/train.py --resume``, ``tools/test.py``, ``tools/export_backbone.py``,
``init_cfg=Pretrained`` and annotation pickles (dataset and
``tools/infer.py``). Exports (``.pth`` and ``.safetensors``) still load."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mmaction.registry import DATASETS, MODELS
from mmaction_masa.datasets import AnnotationError
from mmaction_masa.safe_loading import TRUST_ENV, UnsafePickleError
from .conftest import call_script


class Payload:
    """Unpickling this creates the directory ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker, )


@pytest.fixture
def evil_checkpoint(trained_recognizer, tmp_path):
    """The session's real checkpoint with a payload in its ``meta``."""
    checkpoint = torch.load(trained_recognizer.checkpoint, weights_only=False)
    marker = tmp_path / 'pwned'
    checkpoint['meta']['payload'] = Payload(marker)
    path = tmp_path / 'evil.pth'
    torch.save(checkpoint, path)
    return path, marker


def _tool(repo_root, *args, env=None):
    return subprocess.run([sys.executable, *map(str, args)],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=300,
                          env=env)


def _assert_refused(proc, path, marker):
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert 'UnsafePickleError' in proc.stderr, proc.stderr[-3000:]
    assert f'{path}: refused' in proc.stderr and 'mkdir' in proc.stderr
    assert not marker.exists()


def test_resume_refuses_payload(trained_recognizer, evil_checkpoint, repo_root,
                                tmp_path):
    path, marker = evil_checkpoint
    proc = _tool(repo_root, 'tools/train.py', trained_recognizer.config,
                 '--work-dir', tmp_path / 'work', '--resume', path)
    _assert_refused(proc, path, marker)


def test_test_py_refuses_payload(trained_recognizer, evil_checkpoint,
                                 repo_root, tmp_path):
    path, marker = evil_checkpoint
    proc = _tool(repo_root, 'tools/test.py', trained_recognizer.config, path,
                 '--work-dir', tmp_path / 'work')
    _assert_refused(proc, path, marker)


def test_payload_runs_with_trust_opt_in(trained_recognizer, evil_checkpoint,
                                        repo_root, tmp_path):
    # The control: the same file does run its payload when trusted.
    path, marker = evil_checkpoint
    proc = _tool(
        repo_root,
        'tools/export_backbone.py',
        path,
        tmp_path / 'out.pth',
        env=dict(os.environ, **{TRUST_ENV: '1'}))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert marker.is_dir()


def test_export_backbone_refuses_payload(evil_checkpoint, repo_root, tmp_path):
    path, marker = evil_checkpoint
    with pytest.raises(UnsafePickleError, match='mkdir'):
        call_script(repo_root, 'export_backbone.py', path,
                    tmp_path / 'out.pth')
    assert not marker.exists() and not (tmp_path / 'out.pth').exists()


def _backbone_cfg(trained_recognizer, checkpoint, **init):
    from mmengine.config import Config
    cfg = Config.fromfile(str(trained_recognizer.config)).model.backbone
    return dict(
        cfg.to_dict(),
        init_cfg=dict(type='Pretrained', checkpoint=str(checkpoint), **init))


def test_init_cfg_pretrained_refuses_payload(trained_recognizer,
                                             evil_checkpoint):
    path, marker = evil_checkpoint
    backbone = MODELS.build(
        _backbone_cfg(trained_recognizer, path, prefix='backbone.'))
    with pytest.raises(UnsafePickleError, match='mkdir'):
        backbone.init_weights()
    assert not marker.exists()


def _evil_annotations(tmp_path):
    marker = tmp_path / 'pwned'
    ann = tmp_path / 'evil.pkl'
    ann.write_bytes(
        pickle.dumps(
            dict(annotations=[dict(frame_dir='a', x=Payload(marker))])))
    return ann, marker


def test_annotation_pickle_refuses_payload(tmp_path):
    ann, marker = _evil_annotations(tmp_path)
    with pytest.raises(AnnotationError) as info:
        DATASETS.build(
            dict(type='ISLRDataset', ann_file=str(ann), pipeline=[]))
    assert str(ann) in str(info.value) and 'posix.mkdir' in str(info.value)
    assert TRUST_ENV in str(info.value)
    assert not marker.exists()


def test_infer_refuses_payload_annotations(trained_recognizer, repo_root,
                                           tmp_path, capsys):
    ann, marker = _evil_annotations(tmp_path)
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint, ann)
    assert status == 2
    assert f'{ann}: refused' in capsys.readouterr().err
    assert not marker.exists()


@pytest.mark.parametrize('fmt', ['pth', 'safetensors'])
def test_export_formats_load_through_init_cfg(trained_recognizer, repo_root,
                                              tmp_path, fmt):
    out = tmp_path / f'backbone.{fmt}'
    assert call_script(repo_root, 'export_backbone.py',
                       trained_recognizer.checkpoint, out, '--format',
                       fmt) == 0
    full = torch.load(trained_recognizer.checkpoint, weights_only=False)
    backbone = MODELS.build(_backbone_cfg(trained_recognizer, out))
    backbone.init_weights()
    for key, value in backbone.state_dict().items():
        assert torch.equal(value, full['state_dict'][f'backbone.{key}']), key
    if fmt == 'safetensors':
        assert out.read_bytes()[8:9] == b'{'  # a JSON header, not a pickle


def test_score_dumps_load_safely(score_dumps, tmp_path):
    from mmaction_masa.apis.scores import load_score_dump
    dump = load_score_dump(score_dumps['clip16'])  # real tensors load
    assert dump.scores.shape[1] == 25
    marker = tmp_path / 'pwned'
    evil = tmp_path / 'evil_dump.pkl'
    evil.write_bytes(
        pickle.dumps([dict(pred_score=Payload(marker), gt_label=0)]))
    with pytest.raises(UnsafePickleError, match='posix.mkdir'):
        load_score_dump(evil)
    assert not marker.exists()
