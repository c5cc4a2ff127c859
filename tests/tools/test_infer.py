"""tools/infer.py: top-k glosses of real clips with a trained checkpoint."""
import json
from importlib.util import find_spec

import numpy as np
import pytest

from mmaction_masa.apis import (build_test_pipeline, load_clips,
                                load_recognizer, predict_scores)
from mmaction_masa.datasets.converters import INSTALL_HINT
from .conftest import NUM_CLASSES, call_script, load_tool


def test_infer_133kp_pickle(trained_recognizer, repo_root, shared_data,
                            tmp_path, capsys):
    pkl = shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl'
    out = tmp_path / 'results.json'
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint, pkl, '--out', out,
                         '--topk', 3)
    assert status == 0
    results = json.loads(out.read_text())
    assert [r['frame_dir'] for r in results] == ['FOOTBALL', 'SOUP']
    model, cfg, meta = load_recognizer(trained_recognizer.config,
                                       trained_recognizer.checkpoint)
    scores = predict_scores(model, build_test_pipeline(cfg), load_clips([pkl]))
    classes = meta['dataset_meta']['classes']
    assert len(classes) == NUM_CLASSES and classes[0] == 'accident'
    for result, row in zip(results, scores):
        assert len(result['topk']) == 3
        best = np.argsort(-row, kind='stable')[:3]
        assert [p['label'] for p in result['topk']] == best.tolist()
        # Names are the training set's glosses stored in the checkpoint.
        assert [p['name']
                for p in result['topk']] == [classes[i] for i in best]
        np.testing.assert_allclose([p['score'] for p in result['topk']],
                                   row[best],
                                   rtol=1e-5)
    printed = capsys.readouterr().out
    assert 'FOOTBALL' in printed and 'SOUP' in printed
    assert f'wrote 2 predictions to {out}' in printed


def test_infer_class_list_overrides(trained_recognizer, repo_root, shared_data,
                                    tmp_path):
    class_list = tmp_path / 'classes.txt'
    class_list.write_text(''.join(f'gloss{i}\n' for i in range(NUM_CLASSES)))
    out = tmp_path / 'results.json'
    status = call_script(
        repo_root, 'infer.py', trained_recognizer.config,
        trained_recognizer.checkpoint,
        shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl', '--out',
        out, '--class-list', class_list)
    assert status == 0
    for result in json.loads(out.read_text()):
        assert len(result['topk']) == 5
        assert all(p['name'] == f'gloss{p["label"]}' for p in result['topk'])


@pytest.mark.skipif(
    find_spec('mmcv._ext') is not None and find_spec('mmdet') is not None,
    reason='full mmcv and mmdet are installed: video inference would run')
def test_infer_video_without_mmpose_models(trained_recognizer, repo_root,
                                           shared_data, capsys):
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint,
                         shared_data / 'real' / 'FOOTBALL.mp4',
                         '--pose-backend', 'mmpose')
    assert status == 2
    assert INSTALL_HINT in capsys.readouterr().err


def test_infer_unknown_input(trained_recognizer, repo_root, tmp_path, capsys):
    bad = tmp_path / 'poses.txt'
    bad.write_text('x')
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint, bad)
    assert status == 2
    assert f'{bad}: unknown input type' in capsys.readouterr().err


def test_infer_video_with_mediapipe(trained_recognizer, repo_root, shared_data,
                                    tmp_path, capsys):
    """A real video on the plain install: MediaPipe poses, then the test
    pipeline, exactly as the same poses stored as an annotation file."""
    video = shared_data / 'real' / 'FOOTBALL.mp4'
    out = tmp_path / 'video.json'
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint, video, '--out', out)
    assert status == 0, capsys.readouterr().err
    result, = json.loads(out.read_text())
    assert result['frame_dir'] == 'FOOTBALL' and result['source'] == str(video)
    assert result['label'] is None and len(result['topk']) == 5
    # the reference: extract_poses.py's annotation file of the same video
    ann = tmp_path / 'football.pkl'
    load_tool(repo_root, 'data/extract_poses.py').main([
        str(video), '--pose-dir',
        str(tmp_path / 'poses'), '--ann-file',
        str(ann)
    ])
    model, cfg, meta = load_recognizer(trained_recognizer.config,
                                       trained_recognizer.checkpoint)
    row, = predict_scores(model, build_test_pipeline(cfg), load_clips([ann]))
    best = np.argsort(-row, kind='stable')[:5]
    assert [p['label'] for p in result['topk']] == best.tolist()
    assert [p['name'] for p in result['topk']
            ] == [meta['dataset_meta']['classes'][i] for i in best]
    np.testing.assert_allclose([p['score'] for p in result['topk']],
                               row[best],
                               rtol=1e-5)
    assert 0 < row.sum() <= 1 + 1e-5
    assert 'FOOTBALL: ' in capsys.readouterr().out


def test_infer_unreadable_video(trained_recognizer, repo_root, tmp_path,
                                capsys):
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'not a video')
    status = call_script(repo_root, 'infer.py', trained_recognizer.config,
                         trained_recognizer.checkpoint, broken)
    assert status == 2
    assert f'{broken}: cannot read the video' in capsys.readouterr().err
