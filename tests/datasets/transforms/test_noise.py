"""PoseGaussianNoise: N(0, 1) * sigma on the coordinates of present joints."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import PoseGaussianNoise, noise


def normalised_sample(num_frames: int = 5, seed: int = 0):
    """Coordinates in [-128, 128]; a few joints missing (score 0, at 0)."""
    rng = np.random.default_rng(seed)
    keypoint = rng.uniform(-120, 120, (2, num_frames, 49, 2))
    score = rng.uniform(0.2, 1, (2, num_frames, 49))
    missing = rng.random((2, num_frames, 49)) < 0.2
    keypoint[missing], score[missing] = 0, 0
    return dict(
        frame_dir='noisy_1',
        keypoint=keypoint.astype(np.float32),
        keypoint_score=score.astype(np.float32))


def test_sigma_zero_is_identity_and_draws_nothing():
    sample = normalised_sample()
    keypoint, score = sample['keypoint'].copy(), sample['keypoint_score']
    np.random.seed(4)
    results = TRANSFORMS.build(dict(type='PoseGaussianNoise'))(sample)
    assert np.random.randint(1 << 30) == np.random.RandomState(4).randint(
        1 << 30)
    np.testing.assert_array_equal(results['keypoint'], keypoint)
    assert results['keypoint_score'] is score


@pytest.mark.parametrize('sigma', [0.5, 10.0])
def test_noise_is_standard_normal_times_sigma(sigma):
    sample = normalised_sample()
    keypoint, score = sample['keypoint'].copy(), sample['keypoint_score']
    np.random.seed(7)
    results = PoseGaussianNoise(sigma)(sample)
    np.random.seed(7)
    draw = np.random.standard_normal(keypoint.shape)
    present = score[..., None] > 0
    expected = np.where(present, keypoint + draw * sigma, keypoint)
    assert results['keypoint'].dtype == np.float32
    np.testing.assert_allclose(results['keypoint'], expected, atol=1e-4)
    np.testing.assert_array_equal(results['keypoint_score'], score)


def test_missing_joints_stay_exactly_zero():
    """Documented choice: score-0 joints are left untouched (at 0)."""
    sample = normalised_sample()
    missing = sample['keypoint_score'] == 0
    before = sample['keypoint'].copy()
    assert missing.any()
    after = PoseGaussianNoise(25.0)(sample)['keypoint']
    np.testing.assert_array_equal(after[missing], 0)
    assert (after[~missing] != before[~missing]).all()


def test_noise_statistics_in_the_normalised_box():
    sample = normalised_sample(num_frames=400, seed=1)
    present = sample['keypoint_score'] > 0
    np.random.seed(0)
    before = sample['keypoint'].copy()
    after = PoseGaussianNoise(10.0)(sample)['keypoint']
    offset = (after - before)[present]
    assert abs(offset.mean()) < 0.2
    assert abs(offset.std() - 10.0) < 0.2
    # not clipped to the box (documented)
    assert np.abs(after).max() > 128


def test_negative_sigma_and_repr():
    with pytest.raises(ValueError, match='sigma'):
        PoseGaussianNoise(-1.0)
    assert repr(PoseGaussianNoise(2.5)) == 'PoseGaussianNoise(sigma=2.5)'
    sample = normalised_sample()
    del sample['keypoint']
    with pytest.raises(KeyError, match="'noisy_1'.*'keypoint'"):
        PoseGaussianNoise(1.0)(sample)


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(noise) == []
