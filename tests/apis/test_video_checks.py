"""mmaction_masa.apis.video_checks on small arrays: detection counts,
frame-rate conversion, windows, unsure answers, mirror views; and the demo's
choice of window per frame."""
import numpy as np
import pytest
from mmengine.config import Config

from mmaction_masa.apis import video_checks as checks
from mmaction_masa.apis.demo import frame_results, overlay_lines
from mmaction_masa.apis.video_checks import (Detection, conform_clip,
                                             count_detections, window_clips)


def _clip(frames=60, hands=None, fps=60.0, **extra):
    """A 49-joint clip whose frame t has x = t for every joint; hands
    (joints 7-48) present in the frames ``hands`` (default: all)."""
    keypoint = np.zeros((1, frames, 49, 2), np.float32)
    keypoint[..., 0] = np.arange(frames)[:, None]
    score = np.ones((1, frames, 49), np.float32)
    if hands is not None:
        score[:, :, 7:] = 0
        score[:, hands, 7:] = 1
    clip = dict(
        frame_dir='clip',
        source='clip.mp4',
        keypoint=keypoint,
        keypoint_score=score,
        total_frames=frames,
        img_shape=(360, 640),
        label=-1)
    if fps is not None:
        clip['fps'] = fps
    clip.update(extra)
    return clip


def test_count_detections_and_messages():
    score = np.zeros((30, 49), np.float32)
    score[:10, :7] = 0.9  # body in 10 frames
    score[:6, 7:28] = 1  # a left hand in 6
    score[20:22, 28:] = 1  # a right hand in 2 others (no body there)
    detection = count_detections(score[None])
    assert detection == Detection(30, 10, 8)
    assert detection.signing and detection.partial
    assert detection.message('a.mp4') == (
        'warning: hands found in only 27% of the frames of a.mp4 (body in '
        '10/30 frames, a hand in 8/30 frames); the glosses may be wrong')
    none = count_detections(np.zeros((60, 49)))
    assert not none.signing and not none.partial
    assert none.message('b.mp4') == (
        f'{checks.NO_SIGNING} in b.mp4 (body in 0/60 frames, a hand in 0/60 '
        f'frames; needs a body and a hand in >= {checks.MIN_HAND_FRAMES} '
        'frames)')
    assert Detection(60, 60, 60).message('c') is None
    # low MediaPipe visibility is not a body; 133 COCO-WholeBody joints
    assert count_detections(np.full((5, 49), 0.1)).body_frames == 0
    whole = np.zeros((4, 133))
    whole[:, 112:] = 0.8
    assert count_detections(whole) == Detection(4, 0, 4)
    with pytest.raises(ValueError, match='expected 49 or 133 joints'):
        count_detections(np.zeros((4, 17)))


def test_conform_clip_to_the_model_rate():
    clip = _clip(frames=61, fps=60.0)
    half = conform_clip(clip, 30.0)
    assert half['keypoint'].shape == (1, 31, 49, 2) and half['fps'] == 30.0
    np.testing.assert_array_equal(half['keypoint'][0, :, 0, 0],
                                  np.arange(0, 61, 2))
    assert half['total_frames'] == 31
    # 15 fps -> 30 fps: a frame between two, interpolated
    slow = conform_clip(_clip(frames=4, fps=15.0), 30.0)
    np.testing.assert_allclose(slow['keypoint'][0, :, 0, 0],
                               [0, 0.5, 1, 1.5, 2, 2.5, 3])
    # --fps overrides the container; 29.97 is 30 (not resampled)
    assert conform_clip(clip, 30.0, fps=30.0)['keypoint'].shape[1] == 61
    same = conform_clip(_clip(fps=29.97), 30.0)
    np.testing.assert_array_equal(same['keypoint'],
                                  _clip(fps=29.97)['keypoint'])
    # a joint missing at either neighbour stays missing
    gappy = _clip(frames=3, hands=[0, 2], fps=20.0)
    resampled = conform_clip(gappy, 30.0)
    assert resampled['keypoint_score'][0, :, 10].tolist() == [1, 0, 0, 1]
    # clips without a frame rate (pose files) are left alone
    assert conform_clip(_clip(fps=None), 30.0)['keypoint'].shape[1] == 60
    with pytest.raises(
            ValueError, match='clip.mp4: frame rates must be '
            'positive'):
        conform_clip(clip, 30.0, fps=-1.0)


def test_window_clips_spans():
    clip = _clip(frames=100, fps=30.0)
    windows = list(window_clips(clip, 2.0, 1.0))
    assert [(w['start'], w['end']) for w in windows] == [(0.0, 2.0),
                                                         (1.0, 3.0),
                                                         (40 / 30, 100 / 30)]
    assert windows[1]['keypoint'][0, 0, 0, 0] == 30
    assert windows[-1]['total_frames'] == 60
    # a clip shorter than the window is one window; no window: the clip
    short, = window_clips(_clip(frames=20, fps=30.0), 2.0)
    assert (short['start'], short['end']) == (0.0, 20 / 30)
    assert next(window_clips(clip)) is clip
    with pytest.raises(
            ValueError, match='window and stride must be '
            'positive'):
        list(window_clips(clip, 2.0, 0.0))


def test_prepare_clips_checks_videos_only():
    video = _clip(frames=120, hands=list(range(30)), fps=60.0)
    pose_file = _clip(fps=None)
    prepared = list(checks.prepare_clips([video, pose_file], 30.0, window=1.0))
    spans = [(p['start'], p['end']) for p in prepared]
    assert spans == [(0.0, 1.0), (1.0, 2.0)] * 2
    # 60 fps -> 30 fps: 60 frames, hands in the first 15 of them
    assert prepared[0]['detection'] == Detection(30, 30, 15)
    assert prepared[1]['detection'] == Detection(30, 30, 0)
    assert 'detection' not in prepared[2]
    whole = list(checks.prepare_clips([pose_file], 30.0))
    assert whole == [pose_file]


def test_judge_and_print_results():
    clip = _clip(start=1.0, end=3.0)
    result = dict(
        source='clip.mp4',
        frame_dir='clip',
        label=None,
        label_name=None,
        topk=[
            dict(label=0, name='a', score=0.4),
            dict(label=1, name='b', score=0.3)
        ])
    judged = checks.judge_result(
        dict(result), clip, Detection(60, 60, 20), 0.5)
    assert judged['status'] == 'unsure' and judged['span'] == [1.0, 3.0]
    assert judged['warning'].startswith('warning: hands found in only 33% '
                                        'of the frames of clip.mp4 [1.00-3.00')
    assert checks.result_line(judged, 0.5).splitlines() == [
        'clip [1.00-3.00 s]: unsure (top score 0.400 < --min-score 0.5): '
        'a 0.400, b 0.300', f'clip [1.00-3.00 s]: {judged["warning"]}'
    ]
    sure = checks.judge_result(
        dict(result), _clip(), Detection(60, 60, 60), 0.4)
    assert sure['status'] == 'ok' and sure['warning'] is None
    assert checks.result_line(sure) == 'clip: a 0.400, b 0.300'
    empty = checks.no_signing_result(clip, Detection(60, 0, 0))
    assert empty['topk'] == [] and empty['status'] == checks.NO_SIGNING
    assert checks.result_line(empty).startswith(
        f'clip [1.00-3.00 s]: {checks.NO_SIGNING} in clip.mp4 [1.00-3.00 s] '
        '(body in 0/60')
    texts = [text for text, _ in overlay_lines(empty)]
    assert texts == ['1.0-3.0 s', checks.NO_SIGNING, 'hands in 0/60 frames']
    texts = [text for text, _ in overlay_lines(judged)]
    assert texts == [
        '1.0-3.0 s', 'unsure: low score', 'warning: hands in 20/60 frames',
        '1. a 0.400', '2. b 0.300'
    ]


def test_frame_results_picks_the_nearest_window():
    results = [dict(span=[0.0, 2.0]), dict(span=[1.0, 3.0])]
    shown = frame_results(results, 4 * 30, 30.0)
    # t < 1 s: window 0; 1-2 s: nearest centre (1 vs 2) -> 0 until 1.5 s
    assert shown[:45] == [0] * 45 and shown[46:] == [1] * (120 - 46)
    assert frame_results([dict(span=None)], 5, 30.0) == [0] * 5


def test_model_pose_fps():
    assert checks.model_pose_fps(Config(
        dict())) == checks.DEFAULT_POSE_FPS == 30.0
    assert checks.model_pose_fps(Config(dict()), dict(pose_fps=25)) == 25.0
    assert checks.model_pose_fps(Config(dict(pose_fps=50)),
                                 dict(pose_fps=25)) == 50
    with pytest.raises(
            ValueError, match='config: pose_fps must be a '
            'positive number'):
        checks.model_pose_fps(Config(dict(pose_fps=0)))
