"""mmaction_masa.apis.inference: reading inputs, scores, top-k, names."""
import json
from importlib.util import find_spec

import numpy as np
import pytest

from mmaction_masa.apis import (build_test_pipeline, load_clips,
                                predict_scores, resolve_class_names,
                                topk_predictions)
from mmaction_masa.apis.inference import (load_annotation_clips,
                                          load_mmpose_clip, with_mirror_views)
from mmaction_masa.datasets.converters import INSTALL_HINT


@pytest.fixture
def two_signs(shared_data):
    return shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl'


def test_load_annotation_clips_133(two_signs):
    clips = load_annotation_clips(two_signs)
    assert [c['frame_dir'] for c in clips] == ['FOOTBALL', 'SOUP']
    assert clips[0]['keypoint'].shape == (1, 62, 133, 2)
    assert clips[1]['keypoint_score'].shape == (1, 41, 133)
    assert clips[0]['img_shape'] == (360, 640)
    assert clips[0]['source'] == str(two_signs)
    assert [c['label'] for c in clips] == [0, 1]


def test_load_annotation_clips_split(shared_data):
    pkl = shared_data / 'real' / 'wlasl50_dev.pkl'
    clips = load_annotation_clips(pkl, split='test')
    assert len(clips) == 54
    assert all(isinstance(c['gloss'], str) for c in clips)
    with pytest.raises(KeyError, match="no split 'val'"):
        load_annotation_clips(pkl, split='val')


def test_load_mmpose_clip_keeps_the_signer(two_signs, tmp_path):
    football = load_annotation_clips(two_signs)[0]
    keypoint, score = football['keypoint'][0], football['keypoint_score'][0]
    frames = []
    for t in range(len(keypoint)):
        signer = dict(
            keypoints=keypoint[t].tolist(), keypoint_scores=score[t].tolist())
        bystander = dict(
            keypoints=(keypoint[t] * 0.1).tolist(),
            keypoint_scores=score[t].tolist())
        frames.append(dict(frame_id=t, instances=[bystander, signer]))
    path = tmp_path / 'FOOTBALL.json'
    path.write_text(json.dumps(frames))
    clip = load_mmpose_clip(path)
    assert clip['frame_dir'] == 'FOOTBALL'
    np.testing.assert_allclose(clip['keypoint'][0], keypoint, rtol=1e-6)
    np.testing.assert_allclose(clip['keypoint_score'][0], score, rtol=1e-6)
    seen = keypoint[score > 0]
    assert clip['img_shape'] == (int(np.ceil(seen[:, 1].max())),
                                 int(np.ceil(seen[:, 0].max())))


def test_load_clips_errors(tmp_path, shared_data):
    with pytest.raises(FileNotFoundError, match='missing.pkl'):
        load_clips([tmp_path / 'missing.pkl'])
    text = tmp_path / 'x.txt'
    text.write_text('x')
    with pytest.raises(ValueError, match='x.txt: unknown input type'):
        load_clips([text])
    if find_spec('mmcv._ext') is None:
        with pytest.raises(ImportError) as info:
            load_clips([shared_data / 'real' / 'FOOTBALL.mp4'],
                       pose_backend='mmpose')
        assert INSTALL_HINT in str(info.value)
    with pytest.raises(
            ValueError,
            match="pose backend must be one of "
            r"\('mediapipe', 'mmpose'\), got 'openpose'"):
        load_clips([shared_data / 'real' / 'FOOTBALL.mp4'],
                   pose_backend='openpose')


def test_load_video_clip_with_mediapipe(shared_data):
    video = shared_data / 'real' / 'FOOTBALL.mp4'
    clip, = load_clips([video])
    assert clip['frame_dir'] == 'FOOTBALL' and clip['source'] == str(video)
    assert clip['keypoint'].shape == (1, 62, 49, 2)
    assert clip['keypoint_score'].shape == (1, 62, 49)
    assert clip['total_frames'] == 62 and clip['img_shape'] == (360, 640)
    assert clip['label'] == -1


def test_predict_scores(tiny_model, two_signs, shared_data):
    model, cfg = tiny_model
    pipeline = build_test_pipeline(cfg)
    clips = load_clips([two_signs,
                        shared_data / 'real' / 'wlasl50_dev.pkl'])[:7]
    scores = predict_scores(model, pipeline, clips, batch_size=3)
    assert scores.shape == (7, 25) and scores.dtype == np.float32
    np.testing.assert_allclose(scores.sum(1), 1, rtol=1e-5)  # 'prob' head
    one_by_one = predict_scores(model, pipeline, clips, batch_size=1)
    np.testing.assert_allclose(scores, one_by_one, rtol=1e-4, atol=1e-7)


def test_resolve_class_names(tmp_path):
    clips = [dict(label=1, gloss='one'), dict(label=-1, gloss='x')]
    assert resolve_class_names(3, clips=clips) == ['0', 'one', '2']
    meta = dict(dataset_meta=dict(classes=('a', 'b', 'c')))
    assert resolve_class_names(3, meta=meta, clips=clips) == ['a', 'b', 'c']
    names = tmp_path / 'names.txt'
    names.write_text('x\ny\nz\n')
    assert resolve_class_names(3, names, meta) == ['x', 'y', 'z']
    with pytest.raises(ValueError, match='3 class names, but the model'):
        resolve_class_names(4, names)


def test_topk_predictions():
    scores = np.array([[0.1, 0.5, 0.2, 0.2], [0.1, 0.5, 0.2, 0.2],
                       [0.4, 0.3, 0.2, 0.1]])
    clips = [
        dict(source='s', frame_dir='a', label=2),
        dict(source='s', frame_dir='c', label=0, gloss='own'),
        dict(source='s', frame_dir='b', label=-1)
    ]
    names = ['w', 'x', 'y', 'z']
    results = topk_predictions(scores, clips, names, k=3)
    assert [p['label'] for p in results[0]['topk']] == [1, 2, 3]
    assert [p['name'] for p in results[2]['topk']] == ['w', 'x', 'y']
    assert results[0]['label'] == 2 and results[0]['label_name'] == 'y'
    assert results[1]['label_name'] == 'own'  # the clip's own gloss
    assert results[2]['label'] is None and results[2]['label_name'] is None
    assert len(topk_predictions(scores, clips, names, k=9)[0]['topk']) == 4


def test_mmaction_init_recognizer_is_not_shadowed(tiny_model, tiny_config,
                                                  tmp_path):
    """``mmaction_masa.apis`` has its own ``load_recognizer``; MMAction2's
    ``init_recognizer`` keeps its name and return type on our configs."""
    import torch

    import mmaction.apis
    import mmaction_masa.apis
    assert not hasattr(mmaction_masa.apis, 'init_recognizer')
    model, _ = tiny_model
    checkpoint = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), checkpoint)
    theirs = mmaction.apis.init_recognizer(
        str(tiny_config), str(checkpoint), device='cpu')
    assert isinstance(theirs, torch.nn.Module) and not theirs.training
    ours = mmaction_masa.apis.load_recognizer(tiny_config, checkpoint)[0]
    for (name, a), b in zip(theirs.state_dict().items(),
                            ours.state_dict().values()):
        torch.testing.assert_close(a, b, msg=name)


def test_with_mirror_views():
    steps = [
        dict(type='SelectSignJoints'),
        dict(type='PartNormalize', mirror_left_hand=False),
        dict(type='SignSampleFrames', clip_len=32, test_mode=True),
        dict(type='PackSignInputs')
    ]
    mirrored = with_mirror_views(steps)
    assert mirrored[3] == dict(
        type='MirrorTestViews', left_hand_mirrored=False)
    assert len(steps) == 4 and len(mirrored) == 5
    assert with_mirror_views(mirrored) == mirrored
    with pytest.raises(
            ValueError, match='needs a test pipeline with '
            'SignSampleFrames'):
        with_mirror_views(steps[:2])
