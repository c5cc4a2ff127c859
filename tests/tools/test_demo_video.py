"""demo/demo_video.py and mmaction_masa.apis.demo on the real FOOTBALL.mp4."""
import argparse
import importlib.util
from pathlib import Path

import cv2
import numpy as np
import pytest

from mmaction_masa.apis import (build_test_pipeline, load_clips,
                                load_recognizer, predict_scores)
from mmaction_masa.apis.demo import (BODY_COLOUR, FINGER_COLOURS,
                                     draw_skeleton, draw_topk, recognise,
                                     sign_bone_colours, write_video)
from mmaction_masa.datasets.converters.mediapipe_poses import (
    HolisticEstimator, iter_video_frames, mediapipe_to_sign_joints)


@pytest.fixture(scope='module')
def demo(repo_root):
    path = repo_root / 'demo' / 'demo_video.py'
    spec = importlib.util.spec_from_file_location('demo_video', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def video(shared_data) -> Path:
    return shared_data / 'real' / 'FOOTBALL.mp4'


def _read(path):
    """All frames of a video file."""
    return list(iter_video_frames(path))


def test_demo_writes_the_annotated_video(demo, trained_recognizer, video,
                                         tmp_path, capsys):
    out = tmp_path / 'out' / 'football_demo.mp4'
    status = demo.main([
        str(video),
        str(out), '--config',
        str(trained_recognizer.config), '--checkpoint',
        str(trained_recognizer.checkpoint), '--min-score', '0'
    ])
    assert status == 0
    frames, source = _read(out), _read(video)
    assert len(frames) == len(source) == 62
    assert frames[0].shape == source[0].shape == (360, 640, 3)
    # the top-5 printed are those of the same poses through infer's path
    model, cfg, meta = load_recognizer(trained_recognizer.config,
                                       trained_recognizer.checkpoint)
    row, = predict_scores(model, build_test_pipeline(cfg), load_clips([video]))
    classes = meta['dataset_meta']['classes']
    best = np.argsort(-row, kind='stable')[:5]
    expected = ', '.join(f'{classes[i]} {row[i]:.3f}' for i in best)
    report = capsys.readouterr().out
    assert f'FOOTBALL: {expected}\n' in report
    assert f'wrote 62 frames to {out}' in report
    # the drawing is there: the top-left gloss box is dark with white text,
    # the rest of the picture barely changed (mp4v is lossy)
    box = frames[5][:80, :140].astype(int)
    assert (box.max(-1) < 60).mean() > 0.6 and (box.min(-1) > 180).any()
    diff = np.abs(frames[5].astype(int) - source[5].astype(int)).mean(-1)
    assert np.median(diff[200:, :]) < 10


def test_draw_skeleton_colours_each_finger():
    keypoint = np.zeros((49, 2), np.float32)
    score = np.ones(49, np.float32)
    # left hand: wrist (7) at (100, 100), thumb joints 8-11 to the right,
    # index 12-15 upward; all else far away in the corner
    keypoint[:] = (5, 5)
    keypoint[7] = (100, 100)
    keypoint[8:12] = [(100 + 20 * i, 100) for i in range(1, 5)]
    keypoint[12:16] = [(100, 100 - 20 * i) for i in range(1, 5)]
    frame = draw_skeleton(
        np.full((200, 200, 3), 255, np.uint8), keypoint, score)
    # middle of the thumb's 2nd bone (8 -> 9): x = 130; of index bone 12->13
    # (anti-aliased lines: the colour up to a light blend with the white)
    np.testing.assert_allclose(frame[100, 130], FINGER_COLOURS[0], atol=40)
    np.testing.assert_allclose(frame[70, 100], FINGER_COLOURS[1], atol=40)
    np.testing.assert_allclose(frame[100, 120], 0, atol=40)  # joint 8's dot
    # joints below the score threshold are not drawn
    score[8:12] = 0.1
    frame = draw_skeleton(
        np.full((200, 200, 3), 255, np.uint8), keypoint, score)
    np.testing.assert_array_equal(frame[100, 125:136], 255)
    bones = sign_bone_colours()
    assert len(bones) == 6 + 2 + 2 * 20
    assert {c for _, _, c in bones} == {BODY_COLOUR, *FINGER_COLOURS}


def test_draw_topk_writes_one_line_per_gloss():
    frame = np.full((360, 640, 3), 128, np.uint8)
    draw_topk(frame, [
        dict(name='a', score=0.5),
        dict(name='a_much_longer_gloss', score=0.25)
    ])
    changed = (frame != 128).any(-1)
    rows, cols = np.flatnonzero(changed.any(1)), np.flatnonzero(changed.any(0))
    # 2 lines of 28 * 0.5 = 14 px (scale 360 / 720) plus half a line
    assert rows.min() == 0 and rows.max() == 2 * 14 + 7
    box = frame[:36, :cols.max() + 1]
    assert (box.max(-1) == 0).mean() > 0.6  # a black box ...
    assert (box.min(-1) > 200).sum() > 50  # ... with white text
    # the box is as wide as the longer line: its text reaches past the
    # short line's end
    short = frame[7:14, :]
    long_ = frame[21:28, :]
    last_white = [
        np.flatnonzero((part.min(-1) > 200).any(0)).max()
        for part in (short, long_)
    ]
    assert last_white[1] > 2 * last_white[0]
    assert cols.max() > last_white[1]


def test_write_video_errors(tmp_path):
    with pytest.raises(ValueError, match='no frame to write'):
        write_video([], tmp_path / 'empty.mp4', 30)


def test_webcam_without_camera_is_a_clear_error(demo, trained_recognizer,
                                                tmp_path):
    if Path('/dev/video7').exists():
        pytest.skip('a camera exists at /dev/video7')
    with pytest.raises(SystemExit, match='no camera at index 7'):
        demo.main([
            '7',
            str(tmp_path / 'cam.mp4'), '--webcam', '--config',
            str(trained_recognizer.config), '--checkpoint',
            str(trained_recognizer.checkpoint)
        ])
    assert not (tmp_path / 'cam.mp4').exists()


def test_webcam_mode_on_a_stream(demo, trained_recognizer, video, tmp_path):
    """The camera loop on a video stream: 40 frames, a 32-frame window
    (seconds at the stream's 29.97 fps) re-scored every 16 frames, the
    last scoring over frames 8..39."""
    model, cfg, meta = load_recognizer(trained_recognizer.config,
                                       trained_recognizer.checkpoint)
    pipeline = build_test_pipeline(cfg)
    names = meta['dataset_meta']['classes']
    out = tmp_path / 'stream.avi'
    args = argparse.Namespace(
        video='0',
        out_filename=str(out),
        fps=None,
        window=32 / 29.97,
        stride=16 / 29.97,
        topk=5,
        max_frames=40,
        show=False)
    report = demo.run_webcam(
        args, model, pipeline, names, capture=cv2.VideoCapture(str(video)))
    assert len(_read(out)) == 40
    assert f'wrote 40 frames to {out}' in report
    parts = ([], [], [])
    with HolisticEstimator() as estimator:
        for frame in _read(video)[:40]:
            for store, landmarks in zip(parts, estimator(frame)):
                store.append(landmarks)
    keypoint, score = mediapipe_to_sign_joints(
        *(np.stack(p) for p in parts), img_shape=(360, 640))
    topk = recognise(model, pipeline, keypoint[8:], score[8:], (360, 640),
                     names)
    # Same glosses; scores equal to the printed 3 decimals up to one unit
    # (MediaPipe's landmarks of two runs can differ in the last bits).
    first = report.splitlines()[0]
    assert first.startswith('last window: ')
    printed = [
        item.rsplit(' ', 1)
        for item in first[len('last window: '):].split(', ')
    ]
    assert [name for name, _ in printed] == [p['name'] for p in topk] or \
        {name for name, _ in printed} == {p['name'] for p in topk}
    by_name = {p['name']: p['score'] for p in topk}
    for name, value in printed:
        assert abs(float(value) - by_name[name]) <= 1.5e-3, (name, value)


def test_demo_missing_video(demo, trained_recognizer, tmp_path, capsys):
    status = demo.main([
        str(tmp_path / 'nope.mp4'),
        str(tmp_path / 'o.mp4'), '--config',
        str(trained_recognizer.config), '--checkpoint',
        str(trained_recognizer.checkpoint)
    ])
    assert status == 2
    assert f'video not found: {tmp_path / "nope.mp4"}' in \
        capsys.readouterr().err


def _message_pixels(frame: np.ndarray) -> int:
    """Pixels of the message colour (yellow) in the top-left text box."""
    box = frame[:90, :320].astype(int)
    return int(
        ((box[..., 0] < 90) & (box[..., 1] > 170) & (box[..., 2] > 190)).sum())


def test_demo_black_video_draws_no_signing(demo, trained_recognizer,
                                           recorded_videos, tmp_path, capsys):
    black = recorded_videos['black']
    out = tmp_path / 'black_demo.mp4'
    status = demo.main([
        str(black),
        str(out), '--config',
        str(trained_recognizer.config), '--checkpoint',
        str(trained_recognizer.checkpoint)
    ])
    report = capsys.readouterr().out
    assert status == 3
    assert f'black: no signing detected in {black} (body in 0/60 frames' \
        in report
    frames = _read(out)
    assert len(frames) == 60
    assert _message_pixels(frames[30]) > 50


def test_demo_windows_of_a_take(demo, trained_recognizer, recorded_videos,
                                tmp_path, capsys):
    """FOOTBALL, 2 s of black, FOOTBALL in 2-second windows every second:
    a line per window; each frame shows its window's glosses, the frames
    of the black part "no signing detected"."""
    take = recorded_videos['take']
    out = tmp_path / 'take_demo.avi'
    status = demo.main([
        str(take),
        str(out), '--config',
        str(trained_recognizer.config), '--checkpoint',
        str(trained_recognizer.checkpoint), '--window', '2', '--stride', '1',
        '--min-score', '0'
    ])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    windows = [line for line in lines if line.startswith('take [')]
    assert [line.split(']')[0] for line in windows] == [
        'take [0.00-2.00 s', 'take [1.00-3.00 s', 'take [2.00-4.00 s',
        'take [3.00-5.00 s', 'take [3.00-5.00 s', 'take [4.00-6.00 s',
        'take [4.13-6.13 s'
    ]  # 3-5 s twice: its glosses and a partial-detection warning
    assert 'no signing detected' in windows[2]
    frames = _read(out)
    assert len(frames) == 184
    assert _message_pixels(frames[15]) == 0  # FOOTBALL: glosses only
    assert _message_pixels(frames[90]) > 50  # the black part
    assert _message_pixels(frames[170]) == 0
