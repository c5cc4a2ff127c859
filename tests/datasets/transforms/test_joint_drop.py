"""RandomJointDrop: fingers, hands and body removed as MediaPipe loses
them."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import RandomJointDrop, joint_drop
from mmaction_masa.datasets.transforms.joint_drop import DROP_GROUPS
from mmaction_masa.sign_layout import LEFT_HAND_SLICE, RIGHT_HAND_SLICE

LEFT, RIGHT = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
NONE = dict(finger_prob=0, hand_prob=0, body_prob=0)


def _sample(frames: int = 10) -> dict:
    rng = np.random.default_rng(1)
    return dict(
        frame_dir='clip_4',
        keypoint=rng.uniform(1, 600, (2, frames, 49, 2)).astype(np.float32),
        keypoint_score=rng.uniform(0.5, 1, (2, frames, 49)).astype(np.float32))


def test_groups_by_hand():
    assert DROP_GROUPS.shape == (13, 49)
    # Left thumb = left-hand joints 1-4; right little finger = 17-20.
    np.testing.assert_array_equal(
        np.flatnonzero(DROP_GROUPS[0]),
        [LEFT + 1, LEFT + 2, LEFT + 3, LEFT + 4])
    np.testing.assert_array_equal(
        np.flatnonzero(DROP_GROUPS[9]), RIGHT + np.arange(17, 21))
    # The fingers of a hand cover all its joints but the wrist.
    np.testing.assert_array_equal(
        np.flatnonzero(DROP_GROUPS[:5].any(0)), LEFT + np.arange(1, 21))
    np.testing.assert_array_equal(
        np.flatnonzero(DROP_GROUPS[11]), RIGHT + np.arange(21))
    np.testing.assert_array_equal(np.flatnonzero(DROP_GROUPS[12]), range(7))


def test_nothing_removed_with_zero_probabilities():
    sample = _sample()
    out = RandomJointDrop(**NONE)(dict(sample))
    np.testing.assert_array_equal(out['keypoint'], sample['keypoint'])
    np.testing.assert_array_equal(out['keypoint_score'],
                                  sample['keypoint_score'])


def test_both_hands_for_the_whole_clip():
    sample = _sample()
    out = RandomJointDrop(
        **{
            **NONE, 'hand_prob': 1
        }, clip_prob=1)(
            dict(sample))
    hands = slice(LEFT, RIGHT + 21)
    np.testing.assert_array_equal(out['keypoint'][:, :, hands], 0)
    np.testing.assert_array_equal(out['keypoint_score'][:, :, hands], 0)
    np.testing.assert_array_equal(out['keypoint'][:, :, :7],
                                  sample['keypoint'][:, :, :7])


@pytest.mark.parametrize('seed', range(8))
def test_body_lost_for_one_run_of_frames(seed):
    np.random.seed(seed)
    sample = _sample(10)
    out = RandomJointDrop(
        **{
            **NONE, 'body_prob': 1
        }, clip_prob=0, max_span=0.5)(
            dict(sample))
    lost = out['keypoint_score'] == 0
    frames = np.flatnonzero(lost[0, :, 0])
    assert 1 <= len(frames) <= 5  # a run of 1 .. round(0.5 T) frames
    np.testing.assert_array_equal(np.diff(frames), 1)  # consecutive
    # All 7 body joints of those frames, of every person, and nothing else.
    expected = np.zeros((10, 49), bool)
    expected[frames, :7] = True
    np.testing.assert_array_equal(lost, np.broadcast_to(expected, lost.shape))
    np.testing.assert_array_equal(out['keypoint'][lost], 0)
    np.testing.assert_array_equal(out['keypoint'][~lost],
                                  sample['keypoint'][~lost])


def test_finger_drop_rate():
    np.random.seed(0)
    transform = TRANSFORMS.build(
        dict(
            type='RandomJointDrop',
            finger_prob=0.3,
            hand_prob=0,
            body_prob=0,
            clip_prob=1))
    lost = [
        transform(_sample(3))['keypoint_score'][0, 0] == 0 for _ in range(400)
    ]
    rate = np.mean(lost, 0)
    assert rate[:7].max() == 0 and rate[[LEFT, RIGHT]].max() == 0
    assert abs(rate[LEFT + 1] - 0.3) < 0.07
    # A finger goes as a whole: its 4 joints together.
    lost = np.array(lost)
    np.testing.assert_array_equal(lost[:, LEFT + 1], lost[:, LEFT + 4])


@pytest.mark.parametrize('kwargs', [
    dict(finger_prob=1.1),
    dict(hand_prob=-0.1),
    dict(clip_prob=2),
    dict(max_span=0)
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        RandomJointDrop(**kwargs)


def test_no_loop_over_frames_or_joints(loop_sources):
    # Only the group table (2 hands x 5 fingers of 4 joints) and the
    # argument checks loop, once at import / construction.
    assert sorted(loop_sources(joint_drop)) == sorted([
        'dict(finger_prob=finger_prob, hand_prob=hand_prob, '
        'body_prob=body_prob, clip_prob=clip_prob).items()',
        'enumerate((LEFT_HAND_SLICE, RIGHT_HAND_SLICE))', 'enumerate(FINGERS)',
        'finger', 'range(5)'
    ])
