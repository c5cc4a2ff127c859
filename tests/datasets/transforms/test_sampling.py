"""SignSampleFrames (clip sampling) and RandomTemporalSample (SA view)."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import (RandomTemporalSample,
                                               SignSampleFrames, sampling)


def frame_sample(num_frames: int, num_person: int = 2, num_joints: int = 3):
    """A sample whose every coordinate and score is its frame index."""
    frames = np.arange(num_frames, dtype=np.float32)[:, None]
    keypoint = np.broadcast_to(frames[..., None],
                               (num_person, num_frames, num_joints, 2)).copy()
    score = np.broadcast_to(frames,
                            (num_person, num_frames, num_joints)).copy()
    return dict(
        frame_dir='word_12',
        keypoint=keypoint,
        keypoint_score=score,
        total_frames=num_frames)


def segments(num_frames: int, clip_len: int):
    """Segment i = frames [i T // L, (i + 1) T // L)."""
    edges = np.arange(clip_len + 1) * num_frames // clip_len
    return edges[:-1], edges[1:]


def check_gathered(results, inds):
    """keypoint / score hold the frames ``inds`` of ``frame_sample``."""
    np.testing.assert_array_equal(results['frame_inds'], inds)
    np.testing.assert_array_equal(results['keypoint'][1, :, 2, 0], inds)
    np.testing.assert_array_equal(results['keypoint_score'][0, :, 1], inds)
    assert results['total_frames'] == len(inds)


@pytest.mark.parametrize('num_frames', [32, 33, 77, 200])
def test_training_takes_one_random_frame_per_segment(num_frames):
    transform = SignSampleFrames()
    assert transform.clip_len == 32 and not transform.test_mode
    start, stop = segments(num_frames, 32)
    seen = set()
    for seed in range(6):
        np.random.seed(seed)
        results = transform(frame_sample(num_frames))
        inds = results['frame_inds']
        assert inds.shape == (32, ) and inds.dtype == np.int64
        assert ((inds >= start) & (inds < stop)).all()
        assert (np.diff(inds) > 0).all()  # distinct, in order
        check_gathered(results, inds)
        assert results['keypoint'].shape == (2, 32, 3, 2)
        assert results['clip_len'] == 32 and results['num_clips'] == 1
        seen.add(tuple(inds))
    assert (len(seen) == 1) == (num_frames == 32)  # random unless T = L


@pytest.mark.parametrize('num_frames,expected', [
    (64, np.arange(32) * 2 + 1),
    (100, np.arange(32) * 100 // 32 +
     (np.diff(np.arange(33) * 100 // 32) // 2)),
    (32, np.arange(32)),
])
def test_testing_takes_segment_centres(num_frames, expected):
    transform = TRANSFORMS.build(
        dict(type='SignSampleFrames', clip_len=32, test_mode=True))
    np.random.seed(3)
    state = np.random.get_state()[1].copy()
    first = transform(frame_sample(num_frames))
    second = transform(frame_sample(num_frames))
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    check_gathered(first, expected)
    np.testing.assert_array_equal(second['frame_inds'], expected)


def test_testing_with_several_clips():
    transform = SignSampleFrames(clip_len=4, test_mode=True, num_clips=2)
    results = transform(frame_sample(16))
    # segments of 4 frames: offsets floor(0.25 * 4) = 1 and floor(0.75 * 4)
    check_gathered(results, [1, 5, 9, 13, 3, 7, 11, 15])
    assert results['num_clips'] == 2 and results['clip_len'] == 4
    assert results['keypoint'].shape == (2, 8, 3, 2)


@pytest.mark.parametrize('test_mode', [False, True])
@pytest.mark.parametrize('num_frames', [2, 5, 19, 31])
def test_short_clips_repeat_every_frame_in_order(num_frames, test_mode):
    transform = SignSampleFrames(test_mode=test_mode)
    for seed in range(4):
        np.random.seed(seed)
        inds = transform(frame_sample(num_frames))['frame_inds']
        assert len(inds) == 32 and (np.diff(inds) >= 0).all()
        np.testing.assert_array_equal(np.unique(inds), np.arange(num_frames))
    if test_mode:  # frame i T // L of segment i
        np.testing.assert_array_equal(inds, np.arange(32) * num_frames // 32)


@pytest.mark.parametrize('test_mode', [False, True])
def test_single_frame(test_mode):
    results = SignSampleFrames(
        clip_len=8, test_mode=test_mode)(
            frame_sample(1))
    check_gathered(results, np.zeros(8, dtype=np.int64))
    assert results['keypoint'].shape == (2, 8, 3, 2)


def test_training_with_several_clips_is_sorted_per_clip():
    np.random.seed(0)
    results = SignSampleFrames(clip_len=5, num_clips=3)(frame_sample(3))
    clips = results['frame_inds'].reshape(3, 5)
    for clip in clips:
        np.testing.assert_array_equal(np.unique(clip), [0, 1, 2])
        assert (np.diff(clip) >= 0).all()


def test_sampling_errors():
    with pytest.raises(ValueError, match="'word_12'.*empty clip"):
        SignSampleFrames()(frame_sample(0))
    with pytest.raises(ValueError, match='clip_len'):
        SignSampleFrames(clip_len=0)
    with pytest.raises(ValueError, match='num_clips'):
        SignSampleFrames(num_clips=0)
    sample = frame_sample(4)
    del sample['keypoint']
    with pytest.raises(KeyError, match="'word_12'.*'keypoint'"):
        SignSampleFrames()(sample)
    assert repr(SignSampleFrames(
        16, True,
        2)) == ('SignSampleFrames(clip_len=16, test_mode=True, num_clips=2)')


@pytest.mark.parametrize(
    'num_frames,drop_ratio,kept',
    [
        (32, 0.5, 16),
        (7, 0.5, 4),  # round(3.5) = 4: halves round up
        (9, 0.5, 5),
        (10, 0.75, 3),  # round(2.5) = 3
        (10, 0.0, 10),
        (10, 1.0, 1),  # at least one frame
        (1, 0.5, 1),
    ])
def test_second_view_keeps_distinct_frames_in_order(num_frames, drop_ratio,
                                                    kept):
    transform = TRANSFORMS.build(
        dict(type='RandomTemporalSample', drop_ratio=drop_ratio))
    seen = set()
    for seed in range(8):
        np.random.seed(seed)
        sample = frame_sample(num_frames)
        original = sample['keypoint'].copy()
        results = transform(sample)
        view = results['view2_keypoint'][0, :, 0, 0].astype(int)
        assert results['view2_keypoint'].shape == (2, kept, 3, 2)
        assert results['view2_keypoint_score'].shape == (2, kept, 3)
        assert (np.diff(view) > 0).all()
        assert view.min() >= 0 and view.max() < num_frames
        np.testing.assert_array_equal(results['view2_keypoint_score'][1, :, 2],
                                      view)
        np.testing.assert_array_equal(results['keypoint'], original)
        seen.add(tuple(view))
    if 1 < kept < num_frames:
        assert len(seen) > 1  # random, not a fixed stride


def test_second_view_is_per_clip():
    np.random.seed(1)
    sample = frame_sample(12)
    sample['num_clips'] = 3
    view = RandomTemporalSample(0.5)(sample)['view2_keypoint'][0, :, 0, 0]
    clips = view.reshape(3, 2)
    for index, clip in enumerate(clips):
        assert (clip >= 4 * index).all() and (clip < 4 * index + 4).all()
        assert clip[0] < clip[1]


def test_second_view_errors():
    for ratio in (-0.1, 1.5):
        with pytest.raises(ValueError, match='drop_ratio'):
            RandomTemporalSample(ratio)
    sample = frame_sample(7)
    sample['num_clips'] = 2
    with pytest.raises(ValueError, match="'word_12'.*7 frames.*num_clips=2"):
        RandomTemporalSample()(sample)
    with pytest.raises(ValueError, match="'word_12'"):
        RandomTemporalSample()(frame_sample(0))
    assert repr(
        RandomTemporalSample()) == 'RandomTemporalSample(drop_ratio=0.5)'


def test_real_clips_training_and_testing(wlasl_dev):
    train = SignSampleFrames(clip_len=32)
    test = SignSampleFrames(clip_len=32, test_mode=True)
    np.random.seed(0)
    for ann in wlasl_dev['annotations'][::7]:
        for transform in (train, test):
            results = transform(dict(ann))
            inds = results['frame_inds']
            assert results['keypoint'].shape == (1, 32, 49, 2)
            np.testing.assert_array_equal(results['keypoint'],
                                          ann['keypoint'][:, inds])
            np.testing.assert_array_equal(
                np.unique(inds), np.arange(ann['total_frames']))


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(sampling) == []
