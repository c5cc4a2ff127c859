"""RandomMirror: left/right mirroring, by hand."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import MirrorTestViews, RandomMirror
from mmaction_masa.sign_layout import (BODY_INDEX, LEFT_HAND_SLICE,
                                       MIRROR_INDEX, RIGHT_HAND_SLICE)


def _sample():
    rng = np.random.default_rng(0)
    keypoint = rng.uniform(0, 640, (1, 3, 49, 2)).astype(np.float32)
    score = rng.uniform(0.5, 1, (1, 3, 49)).astype(np.float32)
    score[0, 1, 10] = 0  # a missing joint of the left hand
    return dict(
        frame_dir='clip',
        keypoint=keypoint,
        keypoint_score=score,
        img_shape=(480, 640))


def test_mirror_index_swaps_left_and_right():
    assert MIRROR_INDEX[BODY_INDEX['nose']] == BODY_INDEX['nose']
    assert MIRROR_INDEX[BODY_INDEX['left_wrist']] == BODY_INDEX['right_wrist']
    left, right = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
    assert MIRROR_INDEX[left + 4] == right + 4
    assert sorted(MIRROR_INDEX) == list(range(49))
    # An involution: mirroring twice is the identity.
    assert [MIRROR_INDEX[i] for i in MIRROR_INDEX] == list(range(49))


def test_mirrored_sample_by_hand():
    sample = _sample()
    out = RandomMirror(prob=1.0)({
        k:
        np.copy(v) if isinstance(v, np.ndarray) else v
        for k, v in sample.items()
    })
    assert out['mirrored'] is True
    kp, sc = sample['keypoint'], sample['keypoint_score']
    # The new right wrist is the old left wrist at x' = 640 - x, same y.
    lw, rw = BODY_INDEX['left_wrist'], BODY_INDEX['right_wrist']
    np.testing.assert_allclose(out['keypoint'][0, 0, rw],
                               [640 - kp[0, 0, lw, 0], kp[0, 0, lw, 1]])
    np.testing.assert_array_equal(out['keypoint_score'][0, 0, rw], sc[0, 0,
                                                                      lw])
    # Joint 10 (left hand) was missing in frame 1: it is now right-hand
    # joint 10 - 7 + 28 = 31, coordinates unchanged, score 0.
    np.testing.assert_array_equal(out['keypoint'][0, 1, 31], kp[0, 1, 10])
    assert out['keypoint_score'][0, 1, 31] == 0
    twice = RandomMirror(prob=1.0)(dict(out))
    np.testing.assert_allclose(twice['keypoint'], kp, atol=1e-4)


def test_prob_zero_and_errors():
    sample = _sample()
    out = RandomMirror(prob=0.0)(dict(sample))
    assert out['mirrored'] is False
    assert out['keypoint'] is sample['keypoint']
    np.random.seed(0)
    draws = [RandomMirror()(dict(_sample()))['mirrored'] for _ in range(200)]
    assert 70 < sum(draws) < 130
    with pytest.raises(ValueError, match='prob'):
        RandomMirror(prob=2)
    bad = _sample()
    bad['keypoint'] = bad['keypoint'][:, :, :7]
    bad['keypoint_score'] = bad['keypoint_score'][:, :, :7]
    with pytest.raises(ValueError, match="'clip'.*7 joints"):
        RandomMirror(prob=1.0)(bad)
    assert repr(TRANSFORMS.build(dict(type='RandomMirror'))) == \
        'RandomMirror(prob=0.5)'


def _normalised_clip():
    """One 2-frame clip of part-normalised joints; joint 9 missing."""
    rng = np.random.default_rng(4)
    keypoint = rng.uniform(-100, 100, (1, 2, 49, 2)).astype(np.float32)
    score = np.ones((1, 2, 49), np.float32)
    keypoint[0, 0, 9], score[0, 0, 9] = 0, 0
    return dict(
        frame_dir='clip',
        keypoint=keypoint,
        keypoint_score=score,
        num_clips=1,
        total_frames=2)


def test_mirror_test_views_by_hand():
    sample = _normalised_clip()
    kp = sample['keypoint'].copy()
    out = TRANSFORMS.build(dict(type='MirrorTestViews'))(dict(sample))
    assert out['num_clips'] == 2 and out['total_frames'] == 4
    assert out['keypoint'].shape == (1, 4, 49, 2)
    np.testing.assert_array_equal(out['keypoint'][:, :2], kp)
    lw, rw = BODY_INDEX['left_wrist'], BODY_INDEX['right_wrist']
    left, right = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
    flipped = out['keypoint'][0, 2]
    # Body: sides exchanged, x negated about the box centre.
    np.testing.assert_array_equal(flipped[rw],
                                  [-kp[0, 0, lw, 0], kp[0, 0, lw, 1]])
    np.testing.assert_array_equal(flipped[0],
                                  [-kp[0, 0, 0, 0], kp[0, 0, 0, 1]])
    # Hands (left one stored mirrored): they only change places.
    np.testing.assert_array_equal(flipped[right + 5], kp[0, 0, left + 5])
    np.testing.assert_array_equal(flipped[left + 5], kp[0, 0, right + 5])
    # The missing left-hand joint 9 (hand joint 2) is now right joint 2.
    assert out['keypoint_score'][0, 2, right + 2] == 0
    np.testing.assert_array_equal(flipped[right + 2], [0, 0])


def test_mirror_test_views_without_left_hand_mirroring():
    sample = _normalised_clip()
    kp = sample['keypoint'].copy()
    out = MirrorTestViews(left_hand_mirrored=False)(dict(sample))
    left, right = LEFT_HAND_SLICE.start, RIGHT_HAND_SLICE.start
    np.testing.assert_array_equal(
        out['keypoint'][0, 3, right + 5],
        [-kp[0, 1, left + 5, 0], kp[0, 1, left + 5, 1]])
    with pytest.raises(KeyError, match='after SignSampleFrames'):
        MirrorTestViews()(
            dict(
                frame_dir='c',
                keypoint=kp,
                keypoint_score=np.ones(kp.shape[:3])))


def test_mirror_before_normalising_equals_mirror_test_views(wlasl_dev):
    """RandomMirror then PartNormalize == PartNormalize then
    MirrorTestViews on real clips (float rounding apart)."""

    def compose(steps):
        built = [TRANSFORMS.build(step) for step in steps]

        def run(results):
            for step in built:
                results = step(results)
            return results

        return run

    head = [dict(type='SelectSignJoints')]
    tail = [dict(type='SignSampleFrames', clip_len=8, test_mode=True)]
    image = compose([
        *head,
        dict(type='RandomMirror', prob=1.0),
        dict(type='PartNormalize'), *tail
    ])
    views = compose([
        *head,
        dict(type='PartNormalize'), *tail,
        dict(type='MirrorTestViews')
    ])
    for ann in wlasl_dev['annotations'][:40]:
        a = image(dict(ann, img_shape=(1, 1)))
        b = views(dict(ann, img_shape=(1, 1)))
        np.testing.assert_allclose(
            b['keypoint'][:, 8:], a['keypoint'], atol=1e-3)
        np.testing.assert_array_equal(b['keypoint_score'][:, 8:],
                                      a['keypoint_score'])
