"""Eq. 4 and its scale switches, against values computed by hand."""
import pytest
import torch

import mmaction_masa  # noqa: F401
from mmaction.registry import MODELS


def _loss(**kwargs):
    return MODELS.build(dict(type='MotionPredictionLoss', **kwargs))


def _hand_built_batch():
    """Two samples, three frames, two joints (errors worked out below)."""
    pred = torch.zeros(2, 3, 2, 2)
    target = torch.zeros(2, 3, 2, 2)
    weight = torch.zeros(2, 3, 2)
    mask = torch.tensor([[True, False, True], [False, True, False]])
    # Sample 0, frame 0: diff (1, 2) * 2 and (-1, -1) * 0.5:
    # squared 4 + 16 + .25 + .25 = 20.5, absolute 2 + 4 + .5 + .5 = 7.
    pred[0, 0] = torch.tensor([[1., 2.], [0., 0.]])
    target[0, 0] = torch.tensor([[0., 0.], [1., 1.]])
    weight[0, 0] = torch.tensor([2., .5])
    # Sample 0, frame 1 is visible: a huge error that must not count.
    pred[0, 1] = 100.
    weight[0, 1] = 1.
    # Sample 0, frame 2: diff (0, 2) * 1 and (1, 0) * 3:
    # squared 4 + 9 = 13, absolute 2 + 3 = 5.
    pred[0, 2] = torch.tensor([[3., 3.], [1., 0.]])
    target[0, 2] = torch.tensor([[3., 1.], [0., 0.]])
    weight[0, 2] = torch.tensor([1., 3.])
    # Sample 1, frame 1: diff (1, 0) * 1 and (0, .5) * 2:
    # squared 1 + 1 = 2, absolute 1 + 1 = 2.
    pred[1, 1] = torch.tensor([[1., 0.], [0., .5]])
    weight[1, 1] = torch.tensor([1., 2.])
    return pred, target, weight, mask


def test_literal_eq4_per_sample_then_batch():
    # Sample 0: (20.5 + 13) / 2 = 16.75; sample 1: 2 / 1; mean 9.375.
    loss = _loss(coord_scale=1.0, coord_reduction='sum')(*_hand_built_batch())
    torch.testing.assert_close(loss, torch.tensor(9.375))


def test_frame_pooled_reduction():
    # (20.5 + 13 + 2) / |M| = 35.5 / 3 over the batch's masked frames.
    loss = _loss(
        coord_scale=1.0, coord_reduction='sum',
        batch_reduction='frame')(*_hand_built_batch())
    torch.testing.assert_close(loss, torch.tensor(35.5 / 3))


def test_coord_scale_divides_the_target():
    # Target / 2: frame 0 diff (1, 2), (-.5, -.5) * (2, .5) -> 4 + 16 +
    # .0625 + .0625 = 20.125; frame 2 diff (1.5, 2.5), (1, 0) * (1, 3) ->
    # 2.25 + 6.25 + 9 = 17.5; sample 1 unchanged (target 0): 2.
    loss = _loss(coord_scale=2.0, coord_reduction='sum')(*_hand_built_batch())
    torch.testing.assert_close(loss, torch.tensor(
        ((20.125 + 17.5) / 2 + 2) / 2))


def test_default_is_half_box_units_and_a_coordinate_mean():
    loss = _loss()
    assert (loss.coord_scale, loss.criterion, loss.coord_reduction,
            loss.batch_reduction, loss.loss_weight) == (128.0, 'l2', 'mean',
                                                        'sample', 1.0)
    # Target / 128 and / 4 coordinates: frame 0 diff (1, 2), (-1/128,
    # -1/128) * (2, .5) -> (4 + 16 + 2 * (.5/128)^2) / 4; frame 2 diff
    # (3 - 3/128, 3 - 1/128), (1, 0) * (1, 3) -> ((3 - 3/128)^2 +
    # (3 - 1/128)^2 + 9) / 4; sample 1: 2 / 4.
    f0 = (20 + 2 * (.5 / 128)**2) / 4
    f2 = ((3 - 3 / 128)**2 + (3 - 1 / 128)**2 + 9) / 4
    torch.testing.assert_close(
        loss(*_hand_built_batch()), torch.tensor(((f0 + f2) / 2 + 0.5) / 2))


def test_released_l1_mean_times_10():
    # Absolute errors / 4 coordinates: sample 0 (7/4 + 5/4) / 2 = 1.5,
    # sample 1 2/4 = .5; mean 1.0; x 10.
    loss = _loss(
        coord_scale=1.0,
        criterion='l1',
        coord_reduction='mean',
        loss_weight=10.0)(*_hand_built_batch())
    torch.testing.assert_close(loss, torch.tensor(10.0))


def test_padding_frames_are_never_supervised():
    pred, target, weight, mask = _hand_built_batch()
    padding = torch.tensor([[False, False, True], [False, False, False]])
    # Frame 2 of sample 0 is padding: sample 0 = 20.5, sample 1 = 2.
    loss = _loss(
        coord_scale=1.0, coord_reduction='sum')(pred, target, weight, mask,
                                                padding)
    torch.testing.assert_close(loss, torch.tensor((20.5 + 2) / 2))


def test_samples_without_masked_frames_do_not_count():
    pred, target, weight, mask = _hand_built_batch()
    mask[1] = False
    loss = _loss(
        coord_scale=1.0, coord_reduction='sum')(pred, target, weight, mask)
    torch.testing.assert_close(loss, torch.tensor(16.75))


def test_no_masked_frames_is_zero_not_nan():
    pred, target, weight, _ = _hand_built_batch()
    pred.requires_grad_(True)
    loss = _loss()(pred, target, weight, torch.zeros(2, 3, dtype=torch.bool))
    assert loss.item() == 0.0
    loss.backward()
    assert torch.all(pred.grad == 0)


def test_float32_under_autocast():
    pred, target, weight, mask = _hand_built_batch()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        # All values are exact in bfloat16; the sum must still be float32.
        loss = _loss(
            coord_scale=1.0, coord_reduction='sum')(pred.bfloat16(),
                                                    target.bfloat16(),
                                                    weight.bfloat16(), mask)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, torch.tensor(9.375))


@pytest.mark.parametrize('kwargs, match', [
    (dict(criterion='l3'), 'criterion'),
    (dict(coord_reduction='max'), 'coord_reduction'),
    (dict(batch_reduction='clip'), 'batch_reduction'),
    (dict(coord_scale=0), 'coord_scale'),
])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _loss(**kwargs)


def test_multi_scale_weights_per_joint_and_scale():
    # One masked frame, one joint, two scales: diffs (1, 1) at scale 0 with
    # weight 2 and (3, 0) at scale 1 with weight 0: sum 4 + 4 = 8; mean /4.
    pred = torch.tensor([[[[1., 1., 3., 0.]]]])
    target = torch.zeros_like(pred)
    weight = torch.tensor([[[[2., 0.]]]])
    mask = torch.ones(1, 1, dtype=torch.bool)
    loss = _loss(coord_scale=1.0)(pred, target, weight, mask)
    torch.testing.assert_close(loss, torch.tensor(8 / 4))
