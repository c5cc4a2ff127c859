"""Clear errors instead of tracebacks or silent random weights:
``tools/infer.py`` argument and checkpoint checks, ``tools/test.py`` /
``tools/infer.py`` refusing a checkpoint that does not fit the config, and a
label beyond the classifier caught when the dataset is built."""
import pickle
import subprocess
import sys

import pytest
import torch

from mmaction_masa.apis import load_recognizer
from mmaction_masa.apis.checkpoint_fit import CheckpointMismatchError
from mmaction_masa.datasets import AnnotationError
from mmaction_masa.safe_loading import restricted_loads
from .conftest import NUM_CLASSES, call_script, write_tiny_config

PKL = 'mmpose_wholebody_2signs_133kp.pkl'


def _edited_checkpoint(trained_recognizer, tmp_path, name, edit):
    checkpoint = torch.load(trained_recognizer.checkpoint, weights_only=False)
    edit(checkpoint['state_dict'])
    path = tmp_path / name
    torch.save(checkpoint, path)
    return path


@pytest.fixture
def four_class_head(trained_recognizer, tmp_path):
    """The trained checkpoint with a 4-class head (the config has 25)."""

    def edit(state):
        state['cls_head.fc.weight'] = state['cls_head.fc.weight'][:4].clone()
        state['cls_head.fc.bias'] = state['cls_head.fc.bias'][:4].clone()

    return _edited_checkpoint(trained_recognizer, tmp_path, 'head4.pth', edit)


@pytest.fixture
def backbone_only(trained_recognizer, tmp_path):
    """The trained checkpoint without its classifier."""

    def edit(state):
        for key in [k for k in state if k.startswith('cls_head.')]:
            del state[key]

    return _edited_checkpoint(trained_recognizer, tmp_path, 'nohead.pth', edit)


def test_load_recognizer_refuses_mismatched_head(trained_recognizer,
                                                 four_class_head,
                                                 backbone_only):
    with pytest.raises(CheckpointMismatchError) as info:
        load_recognizer(trained_recognizer.config, four_class_head)
    message = str(info.value)
    assert str(four_class_head) in message
    assert (f'cls_head.fc.weight (checkpoint (4, 24), model ({NUM_CLASSES}, '
            '24))') in message
    with pytest.raises(
            CheckpointMismatchError,
            match='2 missing keys: cls_head.fc.weight, '
            'cls_head.fc.bias'):
        load_recognizer(trained_recognizer.config, backbone_only)


def test_infer_refuses_checkpoint_of_another_model(trained_recognizer,
                                                   backbone_only, repo_root,
                                                   shared_data, capsys):
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         backbone_only, shared_data / 'real' / PKL)
    assert status == 2
    err = capsys.readouterr().err
    assert f'error: {backbone_only}: the checkpoint does not fit' in err
    assert 'missing keys: cls_head.fc.weight' in err


def test_test_py_refuses_checkpoint_of_another_model(trained_recognizer,
                                                     four_class_head,
                                                     repo_root, tmp_path):
    proc = subprocess.run([
        sys.executable,
        str(repo_root / 'tools' / 'test.py'),
        str(trained_recognizer.config),
        str(four_class_head), '--work-dir',
        str(tmp_path / 'work')
    ],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode != 0
    assert 'CheckpointMismatchError' in proc.stderr
    assert 'mismatched keys: cls_head.fc.weight' in proc.stderr


@pytest.mark.parametrize('args,problem', [
    (['--batch-size', '0'], '--batch-size must be >= 1, got 0'),
    (['--batch-size', '-3'], '--batch-size must be >= 1, got -3'),
])
def test_infer_batch_size_checked(trained_recognizer, repo_root, shared_data,
                                  capsys, args, problem):
    with pytest.raises(SystemExit) as info:
        call_script(repo_root, 'infer.py', trained_recognizer.config,
                    trained_recognizer.checkpoint, shared_data / 'real' / PKL,
                    *args)
    assert info.value.code == 2
    assert problem in capsys.readouterr().err


def test_infer_missing_checkpoint(trained_recognizer, repo_root, shared_data,
                                  tmp_path, capsys):
    missing = tmp_path / 'nope.pth'
    with pytest.raises(SystemExit) as info:
        call_script(repo_root, 'infer.py', trained_recognizer.config, missing,
                    shared_data / 'real' / PKL)
    assert info.value.code == 2
    assert f'checkpoint not found: {missing}' in capsys.readouterr().err


def test_infer_truncated_checkpoint(trained_recognizer, repo_root, shared_data,
                                    tmp_path, capsys):
    truncated = tmp_path / 'half.pth'
    data = trained_recognizer.checkpoint.read_bytes()
    truncated.write_bytes(data[:len(data) // 2])
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         truncated, shared_data / 'real' / PKL)
    assert status == 2
    err = capsys.readouterr().err
    assert f'{truncated}: not a readable checkpoint, truncated or corrupt' in (
        err)


def test_label_beyond_head_caught_when_dataset_is_built(
        shared_data, repo_root, tmp_path):
    # The tiny config's datasets have num_classes=None; the head has 25.
    source = shared_data / 'real' / 'wlasl50_dev.pkl'
    content = restricted_loads(source.read_bytes(), str(source))
    first = content['split']['train'][0]
    for ann in content['annotations']:
        if ann['frame_dir'] == first:
            ann['label'] = NUM_CLASSES + 5
    ann_file = tmp_path / 'labels.pkl'
    ann_file.write_bytes(pickle.dumps(content))
    config = write_tiny_config(tmp_path / 'tiny.py', ann_file, max_epochs=1)
    with pytest.raises(AnnotationError) as info:
        call_script(repo_root, 'train.py', config, '--work-dir',
                    tmp_path / 'work')
    message = str(info.value)
    assert f"{ann_file}, sample '{first}', field 'label'" in message
    assert f'label {NUM_CLASSES + 5} is outside the label space [0, 25)' in (
        message)
