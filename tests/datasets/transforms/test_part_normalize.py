"""PartNormalize: hands and upper body boxed separately into [-128, 128]."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import PartNormalize, part_normalize
from mmaction_masa.sign_layout import (BODY_INDEX, BODY_SLICE, LEFT_HAND_SLICE,
                                       RIGHT_HAND_SLICE)

HAND_SIDE = 256 / 2.2  # hand joints fill 1 / hand_scale of the 256 box
BODY_SIDE = 256 / 1.2  # body joints of the clip fill 1 / body_scale
LEFT, RIGHT = LEFT_HAND_SLICE, RIGHT_HAND_SLICE
WRIST = dict(left=BODY_INDEX['left_wrist'], right=BODY_INDEX['right_wrist'])
ELBOW = dict(left=BODY_INDEX['left_elbow'], right=BODY_INDEX['right_elbow'])
SHOULDER = dict(
    left=BODY_INDEX['left_shoulder'], right=BODY_INDEX['right_shoulder'])


def make_sample(seed: int = 0, num_frames: int = 6, num_person: int = 1):
    """A signer in pixels: body joints plus two 21-joint hands at the
    wrists, every joint jittering from frame to frame, all scores 0.9."""
    rng = np.random.default_rng(seed)
    body = np.array([[0, -50], [40, 0], [-40, 0], [60, 60], [-60, 60],
                     [50, 120], [-50, 120]],
                    dtype=np.float64)
    body = body + rng.uniform(-8, 8, (num_person, num_frames, 7, 2))
    left = body[:, :, [WRIST['left']]] + rng.uniform(
        -15, 15, (num_person, num_frames, 21, 2))
    right = body[:, :, [WRIST['right']]] + rng.uniform(
        -12, 18, (num_person, num_frames, 21, 2))
    keypoint = np.concatenate([body, left, right], axis=2) + [320, 200]
    score = np.full(keypoint.shape[:3], 0.9)
    return dict(
        frame_dir='signer_3',
        img_shape=(480, 640),
        keypoint=keypoint.astype(np.float32),
        keypoint_score=score.astype(np.float32))


def normalise(sample, **kwargs):
    """PartNormalize applied to a copy of ``sample``."""
    copy = {key: np.copy(value) for key, value in sample.items()}
    results = PartNormalize(**kwargs)(copy)
    return results['keypoint'], results['keypoint_score']


def assert_box(xy, side):
    """The joints span ``side`` on their larger axis, centred at 0."""
    low, high = xy.min(-2), xy.max(-2)
    np.testing.assert_allclose((high - low).max(-1), side, rtol=1e-5)
    np.testing.assert_allclose((high + low) / 2, 0, atol=1e-3)


def test_output_range_dtype_and_boxes():
    sample = make_sample(num_frames=8, num_person=2)
    keypoint, score = normalise(sample)
    assert keypoint.shape == (2, 8, 49, 2) and score.shape == (2, 8, 49)
    assert keypoint.dtype == score.dtype == np.float32
    assert np.abs(keypoint).max() <= 128
    np.testing.assert_array_equal(score, sample['keypoint_score'])
    # Hands: per frame; the body: one box over all frames of the person.
    assert_box(keypoint[:, :, LEFT], HAND_SIDE)
    assert_box(keypoint[:, :, RIGHT], HAND_SIDE)
    assert_box(keypoint[:, :, BODY_SLICE].reshape(2, -1, 2), BODY_SIDE)


def test_zero_score_joints_are_zero_and_ignored():
    sample = make_sample()
    missing = [(0, 1, 0), (0, 2, 3), (0, 0, 9), (0, 4, 30), (0, 5, 48)]
    for index in missing:
        sample['keypoint_score'][index] = 0
    reference, score = normalise(sample)
    for index in missing:
        assert score[index] == 0
        np.testing.assert_array_equal(reference[index], 0)
    for far in ([1e6, -1e6], [-3e4, 0], [0, 0]):
        for index in missing:
            sample['keypoint'][index] = far
        keypoint, moved_score = normalise(sample)
        np.testing.assert_array_equal(keypoint, reference)
        np.testing.assert_array_equal(moved_score, score)


@pytest.mark.parametrize('bad', [np.nan, np.inf, -np.inf])
def test_non_finite_coordinates_are_missing(bad):
    sample = make_sample()
    absent = make_sample()
    for index in [(0, 1, 2, 0), (0, 3, 12, 1), (0, 0, 40, 0)]:
        sample['keypoint'][index] = bad
        absent['keypoint_score'][index[:3]] = 0
    keypoint, score = normalise(sample)
    assert np.isfinite(keypoint).all()
    expected, expected_score = normalise(absent)
    np.testing.assert_array_equal(keypoint, expected)
    np.testing.assert_array_equal(score, expected_score)
    assert score[0, 1, 2] == score[0, 3, 12] == score[0, 0, 40] == 0


def test_non_finite_scores_are_missing():
    sample = make_sample()
    sample['keypoint_score'][0, 2, 30] = np.nan
    sample['keypoint_score'][0, 4, 1] = np.inf
    keypoint, score = normalise(sample)
    assert score[0, 2, 30] == score[0, 4, 1] == 0
    np.testing.assert_array_equal(keypoint[0, 2, 30], 0)
    np.testing.assert_array_equal(keypoint[0, 4, 1], 0)


@pytest.mark.parametrize('scale,shift', [(1 / 640, (0, 0)), (3.7, (-900, 41)),
                                         (1.0, (123.5, -45.25))])
def test_translation_and_scale_invariance(scale, shift):
    sample = make_sample(seed=1)
    sample['keypoint_score'][0, 2, 33] = 0  # a missing joint stays missing
    reference, score = normalise(sample)
    sample['keypoint'] = (sample['keypoint'].astype(np.float64) * scale +
                          shift).astype(np.float32)
    keypoint, moved_score = normalise(sample)
    np.testing.assert_allclose(keypoint, reference, atol=2e-3)
    np.testing.assert_array_equal(moved_score, score)


def test_parts_are_normalised_separately():
    sample = make_sample(seed=2)
    reference, _ = normalise(sample)
    # Move the whole right hand of frame 3 (not the body wrist), shrink the
    # left hand of frame 1 about its centre and move the nose of frame 0.
    sample['keypoint'][0, 3, RIGHT] += [200, -80]
    left = sample['keypoint'][0, 1, LEFT]
    sample['keypoint'][0, 1, LEFT] = left.mean(0) + 0.25 * (
        left - left.mean(0))
    sample['keypoint'][0, 0, BODY_INDEX['nose'], 1] -= 20
    keypoint, _ = normalise(sample)
    np.testing.assert_allclose(
        keypoint[:, :, LEFT], reference[:, :, LEFT], atol=1e-3)
    np.testing.assert_allclose(
        keypoint[:, :, RIGHT], reference[:, :, RIGHT], atol=1e-3)
    body = keypoint[:, :, BODY_SLICE] - reference[:, :, BODY_SLICE]
    assert np.abs(body[0, 0, 0]).max() > 1  # the nose moved in the body box
    assert_box(keypoint[:, :, BODY_SLICE].reshape(1, -1, 2), BODY_SIDE)


def test_left_hand_is_mirrored():
    """Documented: the left hand's x is negated (on by default), so a left
    hand mirroring the right one normalises exactly like the right hand."""
    sample = make_sample(seed=3)
    mirrored = sample['keypoint'][0, :, RIGHT].copy()
    mirrored[..., 0] = 1000 - mirrored[..., 0]
    sample['keypoint'][0, :, LEFT] = mirrored
    keypoint, _ = normalise(sample)
    np.testing.assert_allclose(
        keypoint[:, :, LEFT], keypoint[:, :, RIGHT], atol=1e-3)
    plain, _ = normalise(sample, mirror_left_hand=False)
    np.testing.assert_array_equal(plain[..., LEFT, 0], -keypoint[..., LEFT, 0])
    np.testing.assert_array_equal(plain[..., LEFT, 1], keypoint[..., LEFT, 1])
    np.testing.assert_array_equal(plain[:, :, :LEFT.start],
                                  keypoint[:, :, :LEFT.start])
    np.testing.assert_array_equal(plain[:, :, RIGHT], keypoint[:, :, RIGHT])


def arm_box(xy, side, with_shoulder=True):
    """The fallback hand box of one frame, written out: (centre, side)."""
    wrist, elbow = xy[WRIST[side]], xy[ELBOW[side]]
    upper = np.linalg.norm(elbow - xy[SHOULDER[side]]) if with_shoulder else 0
    size = 1.1 * max(np.linalg.norm(wrist - elbow), 0.9 * upper)
    return wrist + 0.33 * (wrist - elbow), size


@pytest.mark.parametrize('with_shoulder', [True, False])
def test_hand_with_few_joints_uses_the_arm_box(with_shoulder):
    sample = make_sample(seed=4)
    xy = sample['keypoint'][0, 2].astype(np.float64)
    if with_shoulder:  # a long upper arm decides the side
        sample['keypoint'][0, 2,
                           SHOULDER['right']] = xy[ELBOW['right']] + [0, -300]
        xy = sample['keypoint'][0, 2].astype(np.float64)
    else:
        sample['keypoint_score'][0, 2, SHOULDER['right']] = 0.05
    sample['keypoint_score'][0, 2, RIGHT.start + 9:RIGHT.stop] = 0  # 9 left
    keypoint, score = normalise(sample)
    centre, size = arm_box(xy, 'right', with_shoulder)
    expected = np.clip((xy[RIGHT][:9] - centre) / size * 256, -128, 128)
    np.testing.assert_allclose(keypoint[0, 2, RIGHT][:9], expected, atol=1e-3)
    np.testing.assert_array_equal(keypoint[0, 2, RIGHT][9:], 0)
    np.testing.assert_array_equal(score[0, 2, RIGHT][:9], 0.9)
    # the other frames keep their own hand boxes
    assert_box(np.delete(keypoint[:, :, RIGHT], 2, axis=1), HAND_SIDE)


def test_hand_without_any_box_is_removed():
    sample = make_sample(seed=5)
    sample['keypoint_score'][0, 1, LEFT.start:LEFT.start + 12] = 0  # 9 left
    sample['keypoint_score'][0, 1, ELBOW['left']] = 0.0  # no arm box
    keypoint, score = normalise(sample)
    np.testing.assert_array_equal(keypoint[0, 1, LEFT], 0)
    np.testing.assert_array_equal(score[0, 1, LEFT], 0)
    assert (score[0, 1, RIGHT] == 0.9).all()
    assert (score[0, 0, LEFT] == 0.9).all()


def test_low_confidence_joints_are_zeroed_by_default():
    # Released code: joints under the threshold (epsilon_c = 0.4) are
    # zeroed with their score; 0.4 itself is kept (c = r * 1[r >= 0.4]).
    sample = make_sample(seed=6)
    joints = [RIGHT.start + 2, RIGHT.start + 5, BODY_SLICE.start + 1]
    sample['keypoint_score'][0, 3, joints] = [0.05, 0.39, 0.4]
    keypoint, score = normalise(sample)
    np.testing.assert_array_equal(keypoint[0, 3, joints[:2]], 0)
    np.testing.assert_array_equal(score[0, 3, joints], np.float32([0, 0, 0.4]))
    assert np.abs(keypoint[0, 3, joints[2]]).max() > 0
    kept, kept_score = normalise(sample, conf_thr=None)
    np.testing.assert_array_equal(kept_score[0, 3, joints],
                                  np.float32([0.05, 0.39, 0.4]))
    # Zeroing happens after boxing: the other joints do not move.
    others = np.ones(keypoint.shape[2], bool)
    others[joints[:2]] = False
    np.testing.assert_array_equal(keypoint[0, 3, others], kept[0, 3, others])


def test_low_score_joints_are_kept_but_define_no_box():
    sample = make_sample(seed=6)
    low = [RIGHT.start + j for j in (2, 5, 17)]
    sample['keypoint_score'][0, 3, low] = 0.05
    reference, score = normalise(sample, conf_thr=None)
    np.testing.assert_array_equal(score[0, 3, low], 0.05)
    assert np.abs(reference[0, 3, low]).max() > 0
    sample['keypoint'][0, 3, low[0]] += [40, 25]
    keypoint, _ = normalise(sample, conf_thr=None)
    changed = np.flatnonzero(np.abs(keypoint - reference).max(-1)[0, 3] > 0)
    assert changed.tolist() == [low[0]]
    assert np.abs(keypoint).max() <= 128  # far joints are clipped


def test_body_without_box_joints_uses_the_image():
    sample = make_sample(seed=7)
    sample['keypoint_score'][:, :, BODY_SLICE] = 0.05
    keypoint, score = normalise(sample, conf_thr=None)
    xy = sample['keypoint'][:, :, BODY_SLICE].astype(np.float64)
    expected = (xy - [320, 240]) / 640 * 256
    np.testing.assert_allclose(keypoint[:, :, BODY_SLICE], expected, atol=1e-3)
    np.testing.assert_array_equal(score[:, :, BODY_SLICE], 0.05)


def test_released_image_body_box():
    # body_box='image': x / w and y / h of the 640 x 480 frame, times 256,
    # centred; hands keep their own boxes.
    sample = make_sample(seed=7)
    sample['keypoint'][0, 0, BODY_SLICE.start] = [160, 360]
    keypoint, _ = normalise(sample, body_box='image')
    np.testing.assert_allclose(
        keypoint[0, 0, BODY_SLICE.start],
        [160 / 640 * 256 - 128, 360 / 480 * 256 - 128],
        atol=1e-4)
    clip, _ = normalise(sample)
    np.testing.assert_array_equal(keypoint[:, :, RIGHT], clip[:, :, RIGHT])
    with pytest.raises(ValueError, match='body_box'):
        PartNormalize(body_box='frame')


def test_persons_are_independent():
    sample = make_sample(seed=8, num_person=2)
    keypoint, _ = normalise(sample)
    alone = {
        key: value[1:] if key.startswith('keypoint') else value
        for key, value in sample.items()
    }
    single, _ = normalise(alone)
    np.testing.assert_array_equal(keypoint[1:], single)


def test_errors_name_sample_and_field():
    sample = make_sample()
    sample['keypoint'] = np.zeros((1, 6, 133, 2), np.float32)
    sample['keypoint_score'] = np.ones((1, 6, 133), np.float32)
    with pytest.raises(ValueError, match="'signer_3'.*133 joints.*Select"):
        PartNormalize()(sample)
    sample = make_sample()
    del sample['img_shape']
    expected = PartNormalize()(make_sample())['keypoint']
    # A confident body defines its own box: img_shape is not needed ...
    np.testing.assert_array_equal(PartNormalize()(sample)['keypoint'],
                                  expected)
    # ... but the image fallback (no confident body joint) needs it.
    sample = make_sample()
    del sample['img_shape']
    sample['keypoint_score'][:, :, :7] = 0
    with pytest.raises(KeyError, match="'signer_3'.*'img_shape'"):
        PartNormalize()(sample)
    for kwargs in (dict(hand_scale=0), dict(body_scale=-1),
                   dict(min_hand_joints=0)):
        with pytest.raises(ValueError):
            PartNormalize(**kwargs)


def test_build_and_repr():
    transform = TRANSFORMS.build(dict(type='PartNormalize', hand_scale=2.0))
    assert isinstance(transform, PartNormalize)
    assert repr(transform) == (
        'PartNormalize(hand_scale=2.0, body_scale=1.2, min_hand_joints=10, '
        'mirror_left_hand=True, score_thr=0.0, box_score_thr=0.1, '
        "body_box='clip', conf_thr=0.4)")


def test_real_wlasl_clips(wlasl_dev):
    """[0, 1] coordinates of all 212 clips end in range with a full box."""
    transform = PartNormalize(conf_thr=None)
    body_spread, hand_spread = [], []
    for ann in wlasl_dev['annotations']:
        results = transform(dict(ann))
        keypoint, score = results['keypoint'], results['keypoint_score']
        assert np.isfinite(keypoint).all() and np.abs(keypoint).max() <= 128
        np.testing.assert_array_equal(keypoint[score == 0], 0)
        assert ((score == 0) | (score == ann['keypoint_score'])).all()
        body = keypoint[0][:, BODY_SLICE][score[0][:, BODY_SLICE] > 0.1]
        body_spread.append(np.ptp(body, axis=0).max())
        for part in (LEFT, RIGHT):
            own = (score[0][:, part] > 0.1).sum(-1) >= 10
            hand = keypoint[0][own][:, part]
            hand_spread.extend(np.ptp(hand, axis=1).max(-1))
    np.testing.assert_allclose(body_spread, BODY_SIDE, rtol=1e-4)
    assert len(hand_spread) > 1000
    np.testing.assert_allclose(hand_spread, HAND_SIDE, rtol=1e-4)


def test_real_pixels_after_joint_selection(wholebody_2signs):
    transform = TRANSFORMS.build(dict(type='SelectSignJoints'))
    for ann in wholebody_2signs['annotations']:
        results = PartNormalize()(transform(dict(ann)))
        keypoint, score = results['keypoint'], results['keypoint_score']
        assert np.abs(keypoint).max() <= 128
        np.testing.assert_array_equal(keypoint[score == 0], 0)
        assert np.std(keypoint[score > 0]) > 20


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(part_normalize) == [
        "('left', 'right')", "('shoulder', 'elbow', 'wrist')"
    ]
