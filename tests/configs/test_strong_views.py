"""The strong-view pre-training config transforms only the key view."""
import pickle

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmaction.registry import TRANSFORMS

CONFIG = 'configs/signs/masa_pretrain_signs_strong_views.py'


def _run(steps, ann, seed):
    np.random.seed(seed)
    results = dict(
        ann,
        keypoint=np.asarray(ann['keypoint'], np.float32),
        keypoint_score=np.asarray(ann['keypoint_score'], np.float32))
    for step in steps:
        results = TRANSFORMS.build(step)(results)
    return results


@pytest.fixture(scope='module')
def two_hand_clip(shared_data):
    """A real corpus clip with both hands in most frames."""
    with open(shared_data / 'real' / 'signs_multisigner_dev.pkl', 'rb') as f:
        return next(
            a for a in pickle.load(f)['annotations']
            if (a['keypoint_score'][..., 7:] > 0).mean() > 0.8)


@pytest.mark.parametrize('seed', [0, 1])
def test_key_view_augmented_query_untouched(two_hand_clip, seed):
    init_default_scope('mmaction')
    ann = two_hand_clip
    pipeline = Config.fromfile(CONFIG).train_dataloader.dataset.pipeline
    types = [step['type'] for step in pipeline]
    assert types[-3:] == [
        'RandomTemporalSample', 'KeyMapper', 'PackSignInputs'
    ]
    # Up to RandomTemporalSample the draws are the same with and without
    # the key view's augmentation.
    strong = _run(pipeline[:-1], ann, seed)
    plain = _run(pipeline[:-2], ann, seed)
    for key in ('keypoint', 'keypoint_score', 'motion_target', 'motion_mask',
                'view2_keypoint_score'):
        assert key in strong
    np.testing.assert_array_equal(strong['keypoint'], plain['keypoint'])
    np.testing.assert_array_equal(strong['motion_target'],
                                  plain['motion_target'])
    assert strong['view2_keypoint'].shape == plain['view2_keypoint'].shape
    assert not np.allclose(strong['view2_keypoint'], plain['view2_keypoint'])
    # Joints are only removed from the key view, never added.
    assert ((strong['view2_keypoint_score'] > 0)
            <= (plain['view2_keypoint_score'] > 0)).all()
    assert np.abs(strong['view2_keypoint']).max() <= 128


QUERY_CONFIG = 'configs/signs/masa_pretrain_signs_strong_views_query.py'


@pytest.mark.parametrize('seed', [0, 1])
def test_query_view_augmented_target_on_it(two_hand_clip, seed):
    init_default_scope('mmaction')
    pipeline = Config.fromfile(QUERY_CONFIG).train_dataloader.dataset.pipeline
    key_only = Config.fromfile(CONFIG).train_dataloader.dataset.pipeline
    types = [step['type'] for step in pipeline]
    assert types == [
        'SelectSignJoints', 'RandomMirror', 'PartNormalize', 'StrideCapFrames',
        'RandomPoseAffine', 'MotionAwareMask', 'RandomTemporalSample',
        'KeyMapper', 'PackSignInputs'
    ]
    # The query's affine is the recipe's; the rest is the key-only config.
    assert pipeline[4] == dict(type='RandomPoseAffine')
    assert pipeline[:4] + pipeline[5:] == key_only
    strong = _run(pipeline[:-1], two_hand_clip, seed)
    before = _run(pipeline[:4], two_hand_clip, seed)
    # The query moved, no joint appeared or vanished, it stays in the box.
    assert not np.allclose(strong['keypoint'], before['keypoint'])
    np.testing.assert_array_equal(strong['keypoint_score'],
                                  before['keypoint_score'])
    assert np.abs(strong['keypoint']).max() <= 128
    # m_i = x_{i+3} - x_i of the augmented clip the encoder sees (k = 3),
    # zero for the last 3 frames.
    x = strong['keypoint'][0]
    np.testing.assert_allclose(
        strong['motion_target'][:-3], x[3:] - x[:-3], atol=1e-4)
    assert not strong['motion_target'][-3:].any()
    # The key view keeps half of the augmented clip's frames (drop_ratio 0.5,
    # rounded half up).
    assert strong['view2_keypoint'].shape[1] == int(
        np.floor(x.shape[0] / 2 + 0.5))
