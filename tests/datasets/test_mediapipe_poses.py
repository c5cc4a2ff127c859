"""MediaPipe Holistic landmarks -> 49 sign joints, on hand-built arrays."""
import numpy as np
import pytest

from mmaction_masa.datasets.converters import mediapipe_to_sign_joints

#: (h, w) of the hand-built frames.
IMG_SHAPE = (100, 200)


def _landmarks():
    """Two frames: frame 0 has a pose and a left hand, frame 1 nothing."""
    pose = np.zeros((2, 33, 4), np.float32)
    # nose, l/r shoulder, l/r elbow, l/r wrist at x = 0.1 * k, y = 0.5
    for k, index in enumerate((0, 11, 12, 13, 14, 15, 16)):
        pose[0, index] = (0.1 * k, 0.5, -0.3, 0.9 - 0.1 * k)
    pose[0, 23] = (0.9, 0.9, 0.0, 1.0)  # a hip: not one of the 49 joints
    left = np.zeros((2, 21, 3), np.float32)
    left[0, :, 0] = np.arange(21) / 100  # x = j / 100
    left[0, :, 1] = 0.25
    right = np.zeros((2, 21, 3), np.float32)
    return pose, left, right


def test_body_and_hands_in_pixels_with_scores():
    keypoint, score = mediapipe_to_sign_joints(*_landmarks(), IMG_SHAPE)
    assert keypoint.shape == (2, 49, 2) and score.shape == (2, 49)
    assert keypoint.dtype == np.float32 and score.dtype == np.float32
    # body joint k: x = 0.1 k * 200 = 20 k px, y = 0.5 * 100 = 50 px,
    # score = visibility 0.9 - 0.1 k
    np.testing.assert_allclose(
        keypoint[0, :7, 0], 20.0 * np.arange(7), atol=1e-4)
    np.testing.assert_allclose(keypoint[0, :7, 1], 50.0)
    np.testing.assert_allclose(
        score[0, :7], 0.9 - 0.1 * np.arange(7), atol=1e-6)
    # left hand joint j (49-joint index 7 + j): x = 2 j px, y = 25 px, score 1
    np.testing.assert_allclose(
        keypoint[0, 7:28, 0], 2.0 * np.arange(21), atol=1e-4)
    np.testing.assert_allclose(keypoint[0, 7:28, 1], 25.0)
    np.testing.assert_array_equal(score[0, 7:28], 1.0)
    # the right hand is missing in frame 0, everything in frame 1
    np.testing.assert_array_equal(score[0, 28:], 0.0)
    np.testing.assert_array_equal(keypoint[0, 28:], 0.0)
    np.testing.assert_array_equal(score[1], 0.0)
    np.testing.assert_array_equal(keypoint[1], 0.0)


def test_pose_without_visibility_scores_one():
    pose, left, right = _landmarks()
    keypoint, score = mediapipe_to_sign_joints(pose[..., :3], left, right,
                                               IMG_SHAPE)
    np.testing.assert_array_equal(score[0, :7], 1.0)
    np.testing.assert_array_equal(score[1, :7], 0.0)
    np.testing.assert_allclose(keypoint[0, 6], (120.0, 50.0), atol=1e-4)


def test_nan_landmarks_count_as_missing():
    pose, left, right = _landmarks()
    right[1] = np.nan
    keypoint, score = mediapipe_to_sign_joints(pose, left, right, IMG_SHAPE)
    np.testing.assert_array_equal(score[1, 28:], 0.0)
    assert np.isfinite(keypoint).all()


@pytest.mark.parametrize('part, shape, message', [
    (0, (2, 32, 4), r'pose landmarks must be \(T, 33, C >= 2\), got '
     r'\(2, 32, 4\)'),
    (1, (2, 21, 1), r'left hand landmarks must be \(T, 21, C >= 2\)'),
    (2, (3, 21, 3), 'pose, left and right hand landmarks have 2, 2 and 3 '
     'frames'),
])
def test_bad_shapes(part, shape, message):
    parts = list(_landmarks())
    parts[part] = np.zeros(shape, np.float32)
    with pytest.raises(ValueError, match=message):
        mediapipe_to_sign_joints(*parts, IMG_SHAPE)
