"""Property-based tests (hypothesis) of annotation validation and the MASA
transforms: random shapes, T, joint counts, NaN / inf and score ranges.

Invariants: validation either returns finite float32 arrays with scores in
[0, 1] or raises an ``AnnotationError`` naming the file, the sample and a
field (never another exception type); the pre-training pipeline gives no
NaN, coordinates within [-128, 128], and at least one masked and one
visible frame whenever T >= 2.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mmengine.dataset import Compose

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets import (MAX_SCORE, AnnotationError,
                                    sanitize_annotation)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
ANN_FILE = 'random.pkl'


@st.composite
def raw_clips(draw, valid_only: bool = False):
    """A random annotation: shapes, T, V, NaN / inf, score scale."""
    num_person = draw(st.integers(1, 2))
    num_frames = draw(st.integers(1, 70))
    num_joints = draw(
        st.sampled_from([49, 133] if valid_only else [17, 49, 133]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([1.0, 10.0, 1000.0, 1e6]))
    keypoint = rng.normal(
        300, scale, (num_person, num_frames, num_joints, 2)).astype(np.float32)
    score = rng.uniform(0, 1, keypoint.shape[:3]).astype(np.float32)
    score[rng.uniform(
        size=score.shape) < draw(st.sampled_from([0, .5, 1]))] = 0
    for value in draw(
            st.lists(st.sampled_from([np.nan, np.inf, -np.inf]), max_size=3)):
        keypoint[tuple(rng.integers(0, n) for n in keypoint.shape)] = value
        score[tuple(rng.integers(0, n) for n in score.shape)] = value
    if not valid_only:
        score = score * draw(st.sampled_from([1.0, 1.2, 1.5, 100.0, -1.0]))
    total_frames = num_frames if valid_only else draw(
        st.sampled_from([num_frames, num_frames +
                         1, float(num_frames)]))
    return dict(
        frame_dir=f'clip_{num_frames}',
        label=0,
        total_frames=total_frames,
        keypoint=keypoint,
        keypoint_score=score)


@SETTINGS
@given(raw=raw_clips())
def test_validation_cleans_or_names_file_sample_field(raw):
    try:
        clean = sanitize_annotation(raw, ANN_FILE, 0)
    except AnnotationError as exc:
        message = str(exc)
        assert message.startswith(f"{ANN_FILE}, sample '{raw['frame_dir']}'"
                                  ", field '"), message
        return
    for key in ('keypoint', 'keypoint_score'):
        assert clean[key].dtype == np.float32
        assert np.isfinite(clean[key]).all()
    assert clean['keypoint_score'].min() >= 0
    assert clean['keypoint_score'].max() <= 1
    finite = np.isfinite(raw['keypoint_score'])
    assert raw['keypoint_score'][finite].max(initial=0) <= MAX_SCORE


def _pretrain_pipeline(clip_len: int) -> Compose:
    return Compose([
        TRANSFORMS.build(step) for step in (
            dict(type='SelectSignJoints'),
            dict(type='PartNormalize'),
            dict(type='SignSampleFrames', clip_len=clip_len),
            dict(type='MotionAwareMask'),
            dict(type='RandomTemporalSample', drop_ratio=0.5),
        )
    ])


@SETTINGS
@given(
    raw=raw_clips(valid_only=True),
    clip_len=st.sampled_from([1, 2, 32]),
    seed=st.integers(0, 2**16))
def test_pretrain_pipeline_invariants(raw, clip_len, seed):
    clean = sanitize_annotation(raw, ANN_FILE, 0)
    results = dict(
        clean, img_shape=(720, 1280), modality='Pose', start_index=0)
    np.random.seed(seed)
    out = _pretrain_pipeline(clip_len)(results)
    for key in ('keypoint', 'keypoint_score', 'view2_keypoint',
                'motion_target', 'motion_weight', 'joint_weight'):
        assert np.isfinite(out[key]).all(), key
    assert np.abs(out['keypoint']).max() <= 128
    assert np.abs(out['view2_keypoint']).max() <= 128
    mask = out['motion_mask']
    assert mask.shape == (clip_len, )
    if clip_len >= 2:
        assert 1 <= mask.sum() <= clip_len - 1


@SETTINGS
@given(raw=raw_clips(valid_only=True), seed=st.integers(0, 2**16))
def test_motion_mask_on_raw_length(raw, seed):
    # The mask on the clip's own T (no resampling): >= 1 masked and >= 1
    # visible frame for T >= 2, none masked for T = 1.
    clean = sanitize_annotation(raw, ANN_FILE, 0)
    results = dict(clean, img_shape=(720, 1280))
    np.random.seed(seed)
    steps = [
        dict(type='SelectSignJoints'),
        dict(type='PartNormalize'),
        dict(type='MotionAwareMask')
    ]
    out = Compose([TRANSFORMS.build(s) for s in steps])(results)
    mask, num_frames = out['motion_mask'], raw['keypoint'].shape[1]
    assert mask.shape == (num_frames, )
    if num_frames >= 2:
        assert 1 <= mask.sum() <= num_frames - 1
    else:
        assert mask.sum() == 0


@pytest.mark.parametrize('field', ['keypoint', 'keypoint_score'])
@SETTINGS
@given(raw=raw_clips(valid_only=True))
def test_transform_errors_name_the_sample(field, raw):
    # A malformed array reaching a transform is a ValueError naming it.
    results = dict(raw, img_shape=(720, 1280))
    results[field] = results[field][..., :1] if field == 'keypoint' else (
        results[field][0])
    with pytest.raises(ValueError) as info:
        TRANSFORMS.build(dict(type='PartNormalize'))(results)
    assert raw['frame_dir'] in str(info.value)
