"""MotionAwareMask: Algorithm 1 of MASA, checked against hand computation."""
import inspect

import numpy as np
import pytest
from mmengine.dataset import Compose

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import (MotionAwareMask,
                                               motion_aware_mask)
from mmaction_masa.datasets.transforms._utils import round_half_up
from mmaction_masa.datasets.transforms.motion_aware_mask import \
    motion_statistics

# The hand-built clip: T = 8, V = 2, k = 3, eps_c = 0.4, eps_m = 5.
# joint 0: x = 0 0 0 10 20 20 20 20, y = 0, score 1
# joint 1: x = 0 0 0 0 0 6 6 6, y = 0 0 0 8 8 8 8 8,
#          score 1 1 0.3 1 0.5 1 1 1  ->  c = 1 1 0 1 0.5 1 1 1
X0 = [0, 0, 0, 10, 20, 20, 20, 20]
X1, Y1 = [0, 0, 0, 0, 0, 6, 6, 6], [0, 0, 0, 8, 8, 8, 8, 8]
SCORE1 = [1, 1, 0.3, 1, 0.5, 1, 1, 1]
# m_i = x_{i+3} - x_i for i < 5: [[(x0, y0), (x1, y1)] ...]
RESIDUAL = [[[10, 0], [0, 8]], [[20, 0], [0, 8]], [[20, 0], [6, 8]],
            [[10, 0], [6, 0]], [[0, 0], [6, 0]]] + [[[0, 0], [0, 0]]] * 3
# w_i = c_i c_{i+3}: joint 0 always 1, joint 1 c0c3 c1c4 c2c5 c3c6 c4c7
WEIGHT = [[1, 1], [1, .5], [1, 0], [1, 1], [1, .5]] + [[0, 0]] * 3
# |m_i| w_i over the 4 entries, >= 5 of 4:
# i0: 10 0 0 8 -> 2/4; i1: 20 0 0 4 -> 1/4; i2: 20 0 0 0 -> 1/4;
# i3: 10 0 6 0 -> 2/4; i4: 0 0 3 0 -> 0; i5-7: 0.
RATIO = [.5, .25, .25, .5, 0, 0, 0, 0]
CANDIDATES = [0, 3]  # p_i >= delta = 0.5


def hand_built(num_person: int = 1):
    """The clip above, with extra persons made of noise."""
    keypoint = np.zeros((num_person, 8, 2, 2), np.float32)
    keypoint[0, :, 0, 0] = X0
    keypoint[0, :, 1, 0], keypoint[0, :, 1, 1] = X1, Y1
    score = np.ones((num_person, 8, 2), np.float32)
    score[0, :, 1] = SCORE1
    if num_person > 1:
        rng = np.random.default_rng(0)
        keypoint[1:] = rng.uniform(-100, 100, keypoint[1:].shape)
        score[1:] = rng.uniform(0, 1, score[1:].shape)
    return dict(frame_dir='hello_2', keypoint=keypoint, keypoint_score=score)


def masked(sample, seed=0, **kwargs):
    """The motion fields for ``sample`` with a seeded global RNG."""
    np.random.seed(seed)
    return MotionAwareMask(**kwargs)(dict(sample))


def frames(mask):
    return np.flatnonzero(mask).tolist()


def test_signature_has_paper_defaults():
    params = inspect.signature(MotionAwareMask).parameters
    defaults = {name: p.default for name, p in params.items()}
    assert defaults == dict(
        interval=3,
        conf_thr=0.4,
        motion_thr=5.0,
        ratio_thr=0.5,
        mask_ratio=0.9,
        strategy='motion',
        candidate_rule='ratio',
        min_count=1,
        count_missing=True,
        per_part=False,
        target_intervals=None)


def test_missing_joints_left_out_of_the_ratio_by_hand():
    # count_missing=False: the denominator counts only joints with
    # w_i > 0 (x2). i1: w = (1, .5), 1 of 4 entries moves -> 1/4;
    # i2: w = (1, 0): entries of joint 0 only, 20 >= 5 -> 1/2 (was 1/4);
    # i4: w = (1, .5): 0 + 3 < 5 -> 0.
    results = masked(hand_built(), count_missing=False)
    assert frames(results['motion_candidates']) == [0, 2, 3]
    _, _, ratio = motion_statistics(
        hand_built()['keypoint'][0],
        hand_built()['keypoint_score'][0],
        3,
        0.4,
        5.0,
        count_missing=False)
    np.testing.assert_allclose(ratio, [.5, .25, .5, .5, 0, 0, 0, 0])


def test_released_count_rule_by_hand():
    # Signed m_i w_i > 3 over the 4 entries, count > 1:
    # i0: 10 0 0 8 -> 2; i1: 20 0 0 4 -> 2; i2: 20 0 0 0 -> 1;
    # i3: 10 0 6 0 -> 2; i4: 0 0 3 0 -> 0 (3 is not > 3).
    released = dict(candidate_rule='count', motion_thr=3.0)
    results = masked(hand_built(), **released)
    assert frames(results['motion_candidates']) == [0, 1, 3]
    # The residual is signed: the mirrored clip moves the other way and
    # has no candidate (Algorithm 1's |m_i| keeps [0, 3]).
    mirrored = hand_built()
    mirrored['keypoint'] = -mirrored['keypoint']
    assert frames(masked(mirrored, **released)['motion_candidates']) == []
    assert frames(masked(mirrored)['motion_candidates']) == CANDIDATES
    with pytest.raises(ValueError, match='candidate_rule'):
        MotionAwareMask(candidate_rule='max')


def test_statistics_match_hand_computation():
    sample = hand_built()
    residual, weight, ratio = motion_statistics(sample['keypoint'][0],
                                                sample['keypoint_score'][0], 3,
                                                0.4, 5.0)
    np.testing.assert_array_equal(residual, RESIDUAL)
    np.testing.assert_array_equal(weight, WEIGHT)
    np.testing.assert_array_equal(ratio, RATIO)


def test_transform_fields_match_hand_computation():
    results = masked(hand_built())
    assert results['motion_mask'].shape == (8, )
    assert results['motion_mask'].dtype == bool
    assert results['motion_candidates'].dtype == bool
    assert frames(results['motion_candidates']) == CANDIDATES
    # alpha |S| = 1.8 -> 2: the whole candidate set
    assert frames(results['motion_mask']) == CANDIDATES
    joint_weight = [[1, c] for c in [1, 1, 0, 1, .5, 1, 1, 1]]
    expected_fields = dict(
        motion_target=RESIDUAL,
        motion_weight=WEIGHT,
        joint_weight=joint_weight)
    for key, expected in expected_fields.items():
        assert results[key].dtype == np.float32
        np.testing.assert_array_equal(results[key], expected)
    assert results['motion_target'].shape == (8, 2, 2)


@pytest.mark.parametrize(
    'kwargs,candidates',
    [
        (dict(motion_thr=4.0), [0, 1, 3]),  # i1's 8 * 0.5 = 4 now counts
        (dict(ratio_thr=0.25), [0, 1, 2, 3]),
        (dict(ratio_thr=0.0), [0, 1, 2, 3, 4]),  # never the last k frames
        (dict(conf_thr=0.6), [0, 3]),
        (dict(conf_thr=1.01), []),  # no confident joint: no motion
        # k = 1: |m_i| w_i >= 5 only for joint 0's x at i2, i3 (10): p = 1/4
        (dict(interval=1, ratio_thr=0.25), [2, 3]),
    ])
def test_candidates_follow_the_thresholds(kwargs, candidates):
    sample = hand_built()
    results = masked(sample, **kwargs)
    assert frames(results['motion_candidates']) == candidates


def test_confidence_threshold_is_inclusive():
    weight = masked(hand_built(), conf_thr=0.5)['joint_weight'][:, 1]
    np.testing.assert_array_equal(weight, [1, 1, 0, 1, .5, 1, 1, 1])
    weight = masked(hand_built(), conf_thr=0.6)
    np.testing.assert_array_equal(weight['joint_weight'][:, 1],
                                  [1, 1, 0, 1, 0, 1, 1, 1])
    np.testing.assert_array_equal(weight['motion_weight'][:, 1],
                                  [1, 0, 0, 1, 0, 0, 0, 0])


@pytest.mark.parametrize('mask_ratio,count', [(0.9, 2), (0.5, 1), (0.25, 1),
                                              (1.0, 2)])
def test_mask_is_a_fraction_of_the_candidates(mask_ratio, count):
    picked = set()
    for seed in range(12):
        mask = masked(hand_built(), seed, mask_ratio=mask_ratio)['motion_mask']
        assert set(frames(mask)) <= set(CANDIDATES)
        assert mask.sum() == count == round_half_up(mask_ratio * 2)
        picked.update(frames(mask))
    assert picked == set(CANDIDATES)


def test_fallback_masks_one_highest_ratio_frame():
    """Documented fallback: alpha |S| rounds to 0 or S is empty -> one frame
    among the frames i < T - k with the largest p_i (ties at random)."""
    for kwargs in (dict(mask_ratio=0.2), dict(ratio_thr=0.6),
                   dict(mask_ratio=0.0)):
        picked = set()
        for seed in range(10):
            results = masked(hand_built(), seed, **kwargs)
            assert results['motion_mask'].sum() == 1
            picked.update(frames(results['motion_mask']))
        assert picked == {0, 3}  # p = 0.5 at both
    static = hand_built()
    static['keypoint'][:] = 7.0
    picked = set()
    for seed in range(20):
        results = masked(static, seed)
        assert not results['motion_candidates'].any()
        assert results['motion_mask'].sum() == 1
        picked.update(frames(results['motion_mask']))
    assert picked == {0, 1, 2, 3, 4}  # all p = 0: any frame with a target


def random_walk(num_frames: int, seed: int):
    """A 49-joint clip, randomly still or fast from frame to frame, with
    random scores (some under the confidence threshold)."""
    rng = np.random.default_rng(seed)
    speed = rng.choice([0.2, 40.0], (1, num_frames, 1, 1), p=[0.8, 0.2])
    keypoint = np.cumsum(
        rng.normal(0, 1, (1, num_frames, 49, 2)) * speed, axis=1)
    score = rng.uniform(0.35, 1, (1, num_frames, 49))
    return dict(
        frame_dir=f'walk_{seed}',
        keypoint=keypoint.astype(np.float32),
        keypoint_score=score.astype(np.float32))


def algorithm1_candidates(x, r, k=3, eps_c=0.4, eps_m=5.0, delta=0.5):
    """Algorithm 1's candidate set, transcribed line by line with loops
    (an independent reference for the vectorised transform)."""
    num_frames, num_joints = r.shape
    c = [[r[t, v] if r[t, v] >= eps_c else 0.0 for v in range(num_joints)]
         for t in range(num_frames)]
    candidates = np.zeros(num_frames, bool)
    for i in range(num_frames - k):
        moving = counted = 0
        for v in range(num_joints):
            for d in range(2):
                m = abs(float(x[i + k, v, d]) - float(x[i, v, d]))
                m_tilde = m * c[i][v] * c[i + k][v]
                moving += m_tilde >= eps_m
                counted += m_tilde >= 0
        candidates[i] = moving / counted >= delta
    return candidates


@pytest.mark.parametrize('mask_ratio', [0.9, 0.5, 0.3])
def test_mask_size_and_subset_on_random_clips(mask_ratio):
    sizes = []
    for seed in range(10):
        sample = random_walk(32, seed)
        results = masked(sample, seed, mask_ratio=mask_ratio)
        expected = algorithm1_candidates(sample['keypoint'][0],
                                         sample['keypoint_score'][0])
        np.testing.assert_array_equal(results['motion_candidates'], expected)
        mask = results['motion_mask']
        assert not (mask & ~expected).any()
        assert mask.sum() == round_half_up(mask_ratio * expected.sum())
        sizes.append(expected.sum())
    assert min(sizes) >= 5 and max(sizes) <= 25  # S is a strict subset


def test_random_strategy_masks_a_fraction_of_the_frames_with_a_target():
    # T = 8, k = 3: frames 0-4 have a motion target; round(0.5 * 5) = 3
    # (2.5 rounds up) of them are masked, never one of the last k = 3.
    sample = hand_built()
    picked = set()
    for seed in range(20):
        results = masked(sample, seed, strategy='random', mask_ratio=0.5)
        assert results['motion_mask'].sum() == 3
        picked.update(frames(results['motion_mask']))
        assert frames(results['motion_candidates']) == CANDIDATES
    assert picked == set(range(5))  # not restricted to S, never 5-7
    # T = 32: 29 frames with a target; 0.9 * 29 = 26.1 -> 26.
    sample = random_walk(32, 0)
    for ratio, count in ((0.9, 26), (1.0, 29), (0.0, 1), (0.01, 1)):
        mask = masked(sample, strategy='random', mask_ratio=ratio)
        assert mask['motion_mask'].sum() == count


@pytest.mark.parametrize('strategy', ['motion', 'random'])
def test_single_frame_masks_nothing(strategy):
    sample = hand_built()
    sample['keypoint'] = sample['keypoint'][:, :1]
    sample['keypoint_score'] = sample['keypoint_score'][:, :1]
    results = masked(sample, strategy=strategy)
    np.testing.assert_array_equal(results['motion_mask'], [False])
    np.testing.assert_array_equal(results['motion_target'], 0)
    np.testing.assert_array_equal(results['motion_weight'], 0)
    assert results['motion_target'].shape == (1, 2, 2)


@pytest.mark.parametrize('num_frames', [2, 3])
def test_clips_not_longer_than_the_interval(num_frames):
    sample = hand_built()
    sample['keypoint'] = sample['keypoint'][:, :num_frames]
    sample['keypoint_score'] = sample['keypoint_score'][:, :num_frames]
    for seed in range(5):
        results = masked(sample, seed)
        assert results['motion_mask'].sum() == 1
        assert not results['motion_candidates'].any()
        np.testing.assert_array_equal(results['motion_target'], 0)
        np.testing.assert_array_equal(results['motion_weight'], 0)
        assert results['motion_weight'].shape == (num_frames, 2)


def test_seeded_masks_are_reproducible():
    sample = random_walk(32, 3)
    first = masked(sample, 5, mask_ratio=0.5)['motion_mask']
    again = masked(sample, 5, mask_ratio=0.5)['motion_mask']
    np.testing.assert_array_equal(first, again)
    others = {
        tuple(masked(sample, s, mask_ratio=0.5)['motion_mask'])
        for s in range(6)
    }
    assert len(others) > 1


def test_only_the_first_person_is_used():
    results = masked(hand_built(num_person=3))
    assert frames(results['motion_candidates']) == CANDIDATES
    np.testing.assert_array_equal(results['motion_target'], RESIDUAL)


def test_errors_and_repr():
    sample = hand_built()
    sample['num_clips'] = 2
    with pytest.raises(ValueError, match="'hello_2'.*num_clips=2"):
        MotionAwareMask()(sample)
    sample = hand_built()
    del sample['keypoint_score']
    with pytest.raises(KeyError, match="'hello_2'.*'keypoint_score'"):
        MotionAwareMask()(sample)
    for kwargs in (dict(interval=0), dict(mask_ratio=1.1),
                   dict(strategy='tube')):
        with pytest.raises(ValueError):
            MotionAwareMask(**kwargs)
    transform = TRANSFORMS.build(dict(type='MotionAwareMask', interval=2))
    assert repr(transform) == (
        'MotionAwareMask(interval=2, conf_thr=0.4, motion_thr=5.0, '
        "ratio_thr=0.5, mask_ratio=0.9, strategy='motion', "
        "candidate_rule='ratio', min_count=1, count_missing=True, "
        'per_part=False, target_intervals=None)')


def test_real_training_clip_statistics(wlasl_dev):
    """wlasl50_dev training clips after the standard pipeline (32 frames).

    Measured (seed 0): 9.5 % of frames are candidates and 10.6 % are masked;
    95 of 158 clips have an empty S and mask one fallback frame. The short
    clips (1-30 frames) are padded by repetition, and absent hands count in
    the denominator of p_i, which keeps the candidate fraction low.
    """
    pipeline = Compose([
        TRANSFORMS.build(cfg)
        for cfg in (dict(type='SelectSignJoints'), dict(type='PartNormalize'),
                    dict(type='SignSampleFrames', clip_len=32),
                    dict(type='MotionAwareMask'))
    ])
    train = set(wlasl_dev['split']['train'])
    np.random.seed(0)
    candidate, mask_frac = [], []
    for ann in wlasl_dev['annotations']:
        if ann['frame_dir'] not in train:
            continue
        results = pipeline(dict(ann))
        mask, cand = results['motion_mask'], results['motion_candidates']
        assert 1 <= mask.sum() <= 31
        if cand.any():
            assert not (mask & ~cand).any()
            assert mask.sum() == max(1, round_half_up(0.9 * cand.sum()))
        assert np.abs(results['motion_target']).max() <= 256
        assert ((results['motion_weight'] >= 0) &
                (results['motion_weight'] <= 1)).all()
        candidate.append(cand.mean())
        mask_frac.append(mask.mean())
    assert len(candidate) == 158
    assert 0.05 < np.mean(candidate) < 0.5
    assert 0.05 < np.mean(mask_frac) < 0.5
    assert 30 < np.count_nonzero(candidate) < 158  # some clips move a lot


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(motion_aware_mask) == []


def test_multi_scale_target_by_hand():
    results = masked(hand_built(), target_intervals=(1, 3))
    target, weight = results['motion_target'], results['motion_weight']
    assert target.shape == (8, 2, 4) and weight.shape == (8, 2, 2)
    # k = 3 is the single-scale target, side by side with k = 1.
    np.testing.assert_array_equal(target[..., 2:], RESIDUAL)
    np.testing.assert_array_equal(weight[..., 1], WEIGHT)
    # k = 1: joint 0 x = 0 0 0 10 20 20 20 20 -> 0 0 10 10 0 0 0 (0 last).
    np.testing.assert_array_equal(target[:, 0, 0], [0, 0, 10, 10, 0, 0, 0, 0])
    # c of joint 1 = 1 1 0 1 .5 1 1 1 -> c_i c_{i+1} = 1 0 0 .5 .5 1 1 (0).
    np.testing.assert_array_equal(weight[:, 1, 0], [1, 0, 0, .5, .5, 1, 1, 0])
    # The mask is Algorithm 1's with k = 3, unchanged.
    assert frames(results['motion_candidates']) == CANDIDATES
    with pytest.raises(ValueError, match='target_intervals'):
        MotionAwareMask(target_intervals=(0, 3))


def _parts_clip():
    """T = 8, 49 joints at rest; the right hand (joints 28-48) jumps by 10
    at frame 3, the body's nose by 10 at frame 5; all scores 1."""
    keypoint = np.zeros((1, 8, 49, 2), np.float32)
    keypoint[0, 3:, 28:, 0] = 10
    keypoint[0, 5:, 0, 0] = 10
    return dict(
        frame_dir='parts',
        keypoint=keypoint,
        keypoint_score=np.ones((1, 8, 49), np.float32))


def test_per_part_masks_by_hand():
    # k = 3. Right hand (token part 0): every x moves at i = 0, 1, 2 (x3
    # - x0 etc.): p = 21 / 42 = 0.5 -> S = {0, 1, 2}, round(0.9 * 3) = 3.
    # Left hand (part 1): no motion -> fallback, one of the i < 5 frames
    # (all of ratio 0). Body (part 2): the nose moves at i = 2, 3, 4, 1 of
    # 14 entries < delta -> fallback, one frame among {2, 3, 4}.
    results = masked(_parts_clip(), per_part=True)
    mask, cand = results['motion_mask'], results['motion_candidates']
    assert mask.shape == cand.shape == (8, 3)
    assert frames(cand[:, 0]) == [0, 1, 2] and not cand[:, 1:].any()
    assert frames(mask[:, 0]) == [0, 1, 2]
    assert mask[:, 1].sum() == 1 and frames(mask[:, 1])[0] < 5
    assert mask[:, 2].sum() == 1 and frames(mask[:, 2])[0] in (2, 3, 4)
    # Frame-level (default) rule on the same clip: p_i = 21 / 98 < 0.5.
    assert not masked(_parts_clip())['motion_candidates'].any()
