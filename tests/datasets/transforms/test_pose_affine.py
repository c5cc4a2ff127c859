"""RandomPoseAffine: whole-pose and per-hand affine maps, by hand."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import RandomPoseAffine, pose_affine
from mmaction_masa.datasets.transforms.pose_affine import affine_matrix
from mmaction_masa.sign_layout import LEFT_HAND_SLICE, RIGHT_HAND_SLICE

LEFT, RIGHT = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
FIXED = dict(
    scale=(1, 1),
    rotation=(0, 0),
    shear=(0, 0),
    translation=(0, 0),
    hand_scale=(1, 1),
    hand_rotation=(0, 0),
    hand_shear=(0, 0),
    hand_translation=(0, 0))


def _sample(frames: int = 2) -> dict:
    rng = np.random.default_rng(3)
    keypoint = rng.uniform(-60, 60, (1, frames, 49, 2)).astype(np.float32)
    score = np.ones((1, frames, 49), np.float32)
    return dict(frame_dir='clip', keypoint=keypoint, keypoint_score=score)


def _run(sample: dict, **ranges) -> np.ndarray:
    transform = RandomPoseAffine(**{**FIXED, **ranges})
    return transform(dict(sample, keypoint=sample['keypoint'].copy()))


def test_affine_matrix_by_hand():
    np.testing.assert_allclose(
        affine_matrix(1, 90, 0, 0) @ [10, 0], [0, 10], atol=1e-12)
    np.testing.assert_allclose(affine_matrix(2, 0, 0, 0) @ [3, -4], [6, -8])
    # x += 0.5 y, then y += 0.25 x (of the input).
    np.testing.assert_allclose(
        affine_matrix(1, 0, 0.5, 0.25) @ [4, 10], [9, 11])


def test_identity_ranges_keep_the_pose():
    sample = _sample()
    out = _run(sample)
    assert out['keypoint'].dtype == np.float32
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])
    np.testing.assert_array_equal(out['keypoint_score'],
                                  sample['keypoint_score'])


def test_whole_pose_rotation_and_translation_by_hand():
    sample = _sample(1)
    kp = sample['keypoint']
    kp[0, 0, 1] = (10, 0)  # a body joint
    kp[0, 0, RIGHT + 3] = (10, 0)  # a right-hand joint
    kp[0, 0, LEFT + 3] = (10, 0)  # a left-hand joint (x mirrored)
    out = _run(sample, rotation=(90, 90), translation=(3, 3))['keypoint']
    np.testing.assert_allclose(out[0, 0, 1], [3, 13], atol=1e-5)
    np.testing.assert_allclose(out[0, 0, RIGHT + 3], [3, 13], atol=1e-5)
    # The left hand's frame is mirrored: F R(90) F = R(-90), F t = (-3, 3).
    np.testing.assert_allclose(out[0, 0, LEFT + 3], [-3, -7], atol=1e-5)


def test_unmirrored_left_hand_turns_like_the_rest():
    sample = _sample(1)
    sample['keypoint'][0, 0, LEFT + 3] = (10, 0)
    transform = RandomPoseAffine(
        **{
            **FIXED, 'rotation': (90, 90)
        }, left_hand_mirrored=False)
    out = transform(sample)['keypoint']
    np.testing.assert_allclose(out[0, 0, LEFT + 3], [0, 10], atol=1e-5)


def test_hand_scale_about_its_wrist():
    sample = _sample(1)
    kp = sample['keypoint']
    kp[0, 0, RIGHT] = (10, 10)  # the right wrist
    kp[0, 0, RIGHT + 8] = (12, 9)
    body_before = kp[0, 0, :7].copy()
    out = _run(sample, hand_scale=(2, 2))['keypoint']
    np.testing.assert_allclose(out[0, 0, RIGHT], [10, 10])
    np.testing.assert_allclose(out[0, 0, RIGHT + 8], [14, 8])
    np.testing.assert_array_equal(out[0, 0, :7], body_before)


def test_hand_without_wrist_turns_about_the_box_centre():
    sample = _sample(1)
    kp, score = sample['keypoint'], sample['keypoint_score']
    score[0, 0, RIGHT] = 0
    kp[0, 0, RIGHT] = 0
    kp[0, 0, RIGHT + 5] = (20, -4)
    out = _run(sample, hand_scale=(0.5, 0.5))['keypoint']
    np.testing.assert_allclose(out[0, 0, RIGHT + 5], [10, -2])
    np.testing.assert_array_equal(out[0, 0, RIGHT], [0, 0])


def test_missing_joints_stay_and_present_joints_are_clipped():
    sample = _sample(1)
    kp, score = sample['keypoint'], sample['keypoint_score']
    kp[0, 0, 2] = (120, -100)
    kp[0, 0, 4] = (7, 7)
    score[0, 0, 4] = 0  # missing: keeps its value
    out = _run(sample, scale=(1.15, 1.15))
    np.testing.assert_allclose(out['keypoint'][0, 0, 2], [128, -115])
    np.testing.assert_array_equal(out['keypoint'][0, 0, 4], [7, 7])
    assert np.abs(out['keypoint']).max() <= 128
    np.testing.assert_array_equal(out['keypoint_score'], score)


def test_random_draws_follow_numpy_seed_and_stay_in_the_box():
    sample = _sample(4)
    transform = TRANSFORMS.build(dict(type='RandomPoseAffine'))
    np.random.seed(5)
    first = transform(dict(sample, keypoint=sample['keypoint'].copy()))
    np.random.seed(5)
    again = transform(dict(sample, keypoint=sample['keypoint'].copy()))
    np.testing.assert_array_equal(first['keypoint'], again['keypoint'])
    assert not np.array_equal(first['keypoint'], sample['keypoint'])
    assert np.abs(first['keypoint']).max() <= 128
    # One draw for the clip: a rigid map keeps the body's shape in time.
    moved = first['keypoint'][0, :, 1] - first['keypoint'][0, :, 2]
    before = sample['keypoint'][0, :, 1] - sample['keypoint'][0, :, 2]
    ratio = np.linalg.norm(moved, axis=-1) / np.linalg.norm(before, axis=-1)
    assert np.ptp(ratio) < 0.25


def test_prob_zero_keeps_the_pose():
    sample = _sample()
    out = RandomPoseAffine(prob=0.0)(
        dict(sample, keypoint=sample['keypoint'].copy()))
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])


@pytest.mark.parametrize('kwargs', [
    dict(scale=(0, 1)),
    dict(rotation=(5, -5)),
    dict(hand_scale=(-1, 1)),
    dict(prob=1.5)
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomPoseAffine(**kwargs)


def test_wrong_joint_count_names_the_sample():
    sample = dict(
        frame_dir='clip_9',
        keypoint=np.zeros((1, 2, 17, 2)),
        keypoint_score=np.ones((1, 2, 17)))
    with pytest.raises(ValueError, match='clip_9'):
        RandomPoseAffine()(sample)


def test_no_loop_over_frames_or_joints(loop_sources):
    assert all('range' not in src for src in loop_sources(pose_affine))
