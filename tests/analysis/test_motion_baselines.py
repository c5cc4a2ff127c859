"""MA's loss under the no-motion and interpolation rules: by hand, and on
the real dev clips next to a model that predicts nothing."""
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction_masa.analysis import motion_baselines as api

F, T_ = False, True


def test_interpolate_between_visible_frames():
    x = np.array([[0.], [9.], [9.], [6.]])
    filled = api.interpolate_masked(x, np.array([F, T_, T_, F]))
    np.testing.assert_array_equal(filled[:, 0], [0, 2, 4, 6])
    assert filled.dtype == np.float32


def test_interpolate_edges_take_the_nearest_visible_frame():
    x = np.array([[9., 1.], [3., 5.], [9., 1.]])
    filled = api.interpolate_masked(x, np.array([T_, F, T_]))
    np.testing.assert_array_equal(filled, [[3, 5]] * 3)


def test_interpolate_nothing_visible_is_zero():
    filled = api.interpolate_masked(np.ones((3, 2, 2)), np.ones(3, bool))
    np.testing.assert_array_equal(filled, np.zeros((3, 2, 2)))


def test_imputed_motion_single_and_multi_scale():
    # x-coordinates 0, (masked), (masked), 6; y = 1 throughout.
    x = np.stack([np.array([0., 50., -50., 6.]), np.ones(4)], -1)[:, None]
    mask = np.array([F, T_, T_, F])
    single = api.imputed_motion(x, mask, (1, ))
    np.testing.assert_array_equal(single[:, 0],
                                  [[2, 0], [2, 0], [2, 0], [0, 0]])
    multi = api.imputed_motion(x, mask, (1, 2))
    # (T, V, 2 S): [dx_1, dy_1, dx_2, dy_2], 0 where i + k >= T.
    np.testing.assert_array_equal(
        multi[:, 0], [[2, 0, 4, 0], [2, 0, 4, 0], [2, 0, 0, 0], [0] * 4])


def _packed_linear_clip(num_frames=10, num_joints=49, step=2.0, masked=(4, )):
    """A packed clip whose joints all move ``step`` per frame in x and y."""
    t = np.arange(num_frames, dtype=np.float32)
    xy = np.broadcast_to((t * step)[:, None, None],
                         (num_frames, num_joints, 2))
    pose = np.concatenate([xy, np.ones((num_frames, num_joints, 1))], -1)
    mask = np.zeros(num_frames, bool)
    mask[list(masked)] = True
    target = np.zeros((num_frames, num_joints, 2), np.float32)
    target[:-3] = 3 * step
    weight = np.zeros((num_frames, num_joints), np.float32)
    weight[:-3] = 1.0
    sample = ActionDataSample()
    sample.set_field(mask, 'motion_mask')
    sample.set_field(target, 'motion_target')
    sample.set_field(weight, 'motion_weight')
    sample.set_field(
        np.ones((num_frames, num_joints), np.float32), 'joint_weight')
    inputs = torch.from_numpy(pose.astype(np.float32))[None, None]
    return dict(inputs=inputs, data_samples=sample)


def _motion_head():
    """A small motion head with the default Eq. 4 loss."""
    return MODELS.build(
        dict(
            type='MotionPredictionHead',
            in_channels=8,
            hidden_channels=8,
            loss=dict(type='MotionPredictionLoss')))


def test_baseline_losses_of_a_constant_velocity_clip():
    head = _motion_head()
    losses = api.baseline_losses(head, _packed_linear_clip(masked=(3, 4)),
                                 (3, ))
    # Eq. 4 in units of 128, averaged over the V x 2 coordinates and the
    # masked frames: no motion misses 3 * 2 = 6 units everywhere; the
    # interpolated line is the true pose, so its residual is exact.
    assert losses['zero'] == pytest.approx((6 / 128)**2)
    assert losses['interpolation'] == pytest.approx(0.0, abs=1e-12)


def test_no_motion_on_every_frame_of_a_constant_velocity_clip():
    head = _motion_head()
    # All 10 frames count; the last 3 have no i + 3 (weight 0): 7 frames
    # miss 6 units on every coordinate.
    loss = api.no_motion_every_frame(head, _packed_linear_clip())
    assert loss == pytest.approx(0.7 * (6 / 128)**2)


def test_motion_pipeline_refuses_what_it_cannot_score(repo_root):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    steps = api.motion_pipeline(cfg)
    assert [s['type']
            for s in steps][-2:] == ['MotionAwareMask', 'PackSignInputs']
    pipeline = cfg.train_dataloader.dataset.pipeline
    cfg.train_dataloader.dataset.pipeline = [
        t for t in pipeline if t['type'] != 'MotionAwareMask'
    ]
    with pytest.raises(ValueError, match='no MotionAwareMask'):
        api.motion_pipeline(cfg)


def test_motion_baselines_refuse_sa_only(repo_root):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    cfg.model.mask_head = None
    with pytest.raises(ValueError, match="target='motion'"):
        api.motion_baselines(cfg, 'unused.pkl')


@pytest.mark.parametrize('frames', ['masked', 'all'])
def test_dev_clips_rules_and_a_model_that_predicts_no_motion(
        repo_root, shared_data, tmp_path, frames):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    # Scored on the masked frames even when trained on every frame.
    cfg.model.motion_frames = frames
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    last = model.mask_head.predictor[-1]
    torch.nn.init.zeros_(last.weight)
    torch.nn.init.zeros_(last.bias)
    checkpoint = tmp_path / 'zero_head.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    ann = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    result = api.motion_baselines(
        cfg, ann, split='train', checkpoints=[str(checkpoint)])
    # Every training clip but the one of a single frame (hat_04) has a
    # masked frame (Algorithm 1's fallback); that one is not scored.
    assert result['clips'] == 157
    assert 0 < result['masked_fraction'] < 0.2
    # Scored on the same clips and masks, a model that outputs 0 is the
    # no-motion rule; the interpolation rule beats it on real poses.
    assert result[str(checkpoint)] == pytest.approx(result['zero'], rel=1e-5)
    assert 0 < result['interpolation'] < result['zero']


def test_ma_fits_one_fixed_batch_of_dev_clips(repo_root, shared_data):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    ann = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    result = api.fit_one_batch(
        cfg, ann, split='train', batch_size=8, steps=60, log_every=20)
    assert [step for step, _ in result['curve']] == [0, 20, 40, 60]
    # Fixed clips and masks: even the tiny model learns them, past the
    # no-motion rule of the same batch.
    assert result['curve'][-1][1] < result['zero']
    assert result['curve'][-1][1] < result['curve'][0][1]
    assert 0 < result['interpolation'] < result['zero']


@pytest.mark.parametrize('mode, frames', [('masked', 'masked'),
                                          ('masked', 'all'),
                                          ('no_mask', 'masked')])
def test_learning_curve_on_dev_clips(repo_root, shared_data, mode, frames):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    cfg.model.motion_frames = frames
    ann = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    rows = []
    result = api.learning_curve(
        cfg,
        ann,
        split='train',
        steps=24,
        eval_every=12,
        held_out=20,
        batch_size=8,
        warmup=4,
        mode=mode,
        on_row=rows.append)
    assert result['curve'] == rows
    assert [row[0] for row in rows] == [0, 12, 24]
    assert rows[0][1] is None and rows[1][1] > 0
    # The held-out loss falls from the random head's outputs.
    assert rows[-1][2] < rows[0][2]
    assert result['mode'] == mode and result['zero'] > 0
    if mode == 'no_mask':
        # Every held-out clip is scored, on every frame: no interpolation.
        assert result['held_out'] == 20 and 'interpolation' not in result
    else:
        assert 0 < result['held_out'] <= 20
        assert 0 < result['interpolation'] < result['zero']


def test_fit_one_batch_refuses_every_frame_training(repo_root):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    cfg.model.motion_frames = 'all'
    with pytest.raises(ValueError, match='use learning_curve'):
        api.fit_one_batch(cfg, 'unused.pkl')


def test_learning_curve_refusals(repo_root, shared_data):
    cfg = Config.fromfile(str(repo_root / 'configs/dev/masa_pretrain_tiny.py'))
    ann = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    with pytest.raises(ValueError, match="got 'visible'"):
        api.learning_curve(cfg, ann, mode='visible')
    with pytest.raises(ValueError, match='fewer than held_out=400'):
        api.learning_curve(cfg, ann, split='train', held_out=400)
