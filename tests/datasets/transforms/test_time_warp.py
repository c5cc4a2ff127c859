"""RandomTimeWarp: temporal resampling of present joints, by hand."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import RandomTimeWarp, time_warp
from mmaction_masa.datasets.transforms.time_warp import resample_pose


def _ramp(frames: int) -> dict:
    """Joint v of frame t at x = 10 t, y = v; every score 1."""
    t = np.arange(frames, dtype=np.float32)[None, :, None]
    v = np.arange(49, dtype=np.float32)[None, None, :]
    keypoint = np.stack(np.broadcast_arrays(10 * t, v), -1).copy()
    return dict(
        frame_dir='clip_3',
        keypoint=keypoint,
        keypoint_score=np.ones((1, frames, 49), np.float32),
        total_frames=frames)


def test_double_speed_keeps_every_other_frame():
    # T = 5 at speed 2: round(2.5) = 3 frames (halves up) at t = 0, 2, 4.
    out = RandomTimeWarp(speed=(2, 2))(_ramp(5))
    assert out['total_frames'] == 3
    assert out['keypoint'].shape == (1, 3, 49, 2)
    np.testing.assert_array_equal(out['keypoint'][0, :, 0, 0], [0, 20, 40])
    np.testing.assert_array_equal(out['keypoint'][0, :, 7, 1], [7, 7, 7])


def test_half_speed_interpolates_and_never_invents_joints():
    # T = 3 at speed 0.5: 6 frames at t = 0, 0.4, 0.8, 1.2, 1.6, 2.
    sample = _ramp(3)
    sample['keypoint_score'][0, 1, 5] = 0  # joint 5 missing at frame 1
    sample['keypoint'][0, 1, 5] = 0
    sample['keypoint_score'][0, :, 9] = [0.2, 0.6, 1.0]
    out = RandomTimeWarp(speed=(0.5, 0.5))(sample)
    assert out['total_frames'] == 6
    np.testing.assert_allclose(
        out['keypoint'][0, :, 0, 0], [0, 4, 8, 12, 16, 20], atol=1e-5)
    # Every time strictly between 0 and 2 has frame 1 as a neighbour.
    np.testing.assert_array_equal(out['keypoint_score'][0, :, 5],
                                  [1, 0, 0, 0, 0, 1])
    np.testing.assert_array_equal(out['keypoint'][0, 1:5, 5], 0)
    np.testing.assert_allclose(
        out['keypoint_score'][0, :, 9], [0.2, 0.36, 0.52, 0.68, 0.84, 1.0],
        atol=1e-6)


def test_a_time_on_a_frame_needs_only_that_frame():
    sample = _ramp(3)
    sample['keypoint_score'][0, 2, 4] = 0
    kp, score = resample_pose(sample['keypoint'], sample['keypoint_score'],
                              np.array([1.0, 1.5, 2.0]))
    np.testing.assert_array_equal(score[0, :, 4], [1, 0, 0])
    np.testing.assert_array_equal(kp[0, 0, 4], [10, 4])


def test_one_frame_and_identity_speed():
    out = RandomTimeWarp(speed=(1, 1))(_ramp(4))
    np.testing.assert_array_equal(out['keypoint'], _ramp(4)['keypoint'])
    one = RandomTimeWarp(speed=(0.7, 1.3))(_ramp(1))
    assert one['total_frames'] == 1
    np.testing.assert_array_equal(one['keypoint'], _ramp(1)['keypoint'])


def test_random_speed_from_numpy_seed():
    transform = TRANSFORMS.build(dict(type='RandomTimeWarp'))
    lengths = set()
    for seed in range(20):
        np.random.seed(seed)
        speed = np.random.uniform(0.7, 1.3)
        np.random.seed(seed)
        out = transform(_ramp(30))
        assert out['total_frames'] == int(np.floor(30 / speed + 0.5))
        lengths.add(out['total_frames'])
    assert min(lengths) >= 23 and max(lengths) <= 43 and len(lengths) > 3


def test_after_sampling_is_refused():
    sample = dict(_ramp(4), frame_inds=np.arange(4))
    with pytest.raises(ValueError, match='clip_3.*before SignSampleFrames'):
        RandomTimeWarp()(sample)


@pytest.mark.parametrize(
    'kwargs', [dict(speed=(0, 1)),
               dict(speed=(1.2, 1.1)),
               dict(prob=-0.1)])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomTimeWarp(**kwargs)


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(time_warp) == []
