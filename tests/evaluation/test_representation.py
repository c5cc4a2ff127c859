"""Effective rank and leave-one-out k-NN accuracy, by hand."""
import math

import pytest
import torch

from mmaction_masa.evaluation import effective_rank, knn_accuracy, knn_votes


def test_effective_rank_by_hand():
    # Centred rows (+-3, 0), (0, +-1): singular values 3 sqrt 2 and sqrt 2,
    # (4 sqrt 2)^2 / (18 + 2) = 1.6.
    x = torch.tensor([[3., 0.], [-3., 0.], [0., 1.], [0., -1.]]) + 5
    assert effective_rank(x) == pytest.approx(1.6)
    # Isotropic: D equal singular values -> D.
    eye = torch.cat([torch.eye(4), -torch.eye(4)])
    assert effective_rank(eye) == pytest.approx(4.0)
    # On a line -> 1; every feature equal (total collapse) -> 0.
    line = torch.arange(5.)[:, None] * torch.tensor([[1., 2., 3.]])
    assert effective_rank(line) == pytest.approx(1.0)
    assert effective_rank(torch.ones(6, 3)) == 0.0


def _unit(degrees):
    angle = torch.tensor(degrees, dtype=torch.float64) * math.pi / 180
    return torch.stack([angle.cos(), angle.sin()], dim=1)


def test_knn_accuracy_by_hand():
    # Unit vectors at 0, 2, 4 degrees (class 0), 90, 92 (class 1) and a
    # stray class-1 point at 30. LOO with k = 2: each class-0 point's
    # neighbours are the other two; 90 and 92 see each other and 30 (60
    # degrees away, nearer than 4 at 86); 30's neighbours are 4 and 2
    # (class 0): wrong. 5 of 6 right.
    features = _unit([0, 2, 4, 90, 92, 30])
    labels = torch.tensor([0, 0, 0, 1, 1, 1])
    assert knn_accuracy(features, labels, k=2) == pytest.approx(5 / 6)
    assert knn_accuracy(features[:5], labels[:5], k=1) == 1.0
    with pytest.raises(ValueError, match='2 samples'):
        knn_accuracy(features[:1], labels[:1])


def test_knn_votes_are_similarity_weighted():
    # Sample 0's neighbours: one class-1 point at cos 1 and two class-2
    # points at cos 0.6; exp(1 / .07) > 2 exp(.6 / .07) -> class 1.
    c = 0.6
    features = torch.tensor([[1., 0.], [1., 0.], [c, math.sqrt(1 - c * c)],
                             [c, -math.sqrt(1 - c * c)]])
    labels = torch.tensor([1, 1, 2, 2])
    votes_for_1 = math.exp(1 / .07)
    assert votes_for_1 > 2 * math.exp(c / .07)
    assert knn_accuracy(
        features, labels, k=3) == pytest.approx((1 + 1 + 0 + 0) / 4)


def test_knn_votes_against_a_bank_by_hand():
    # Bank at 0 (class 0), 90 (class 1) and 180 degrees (class 2); a query
    # at 10 degrees: its 2 nearest are 0 (cos 10) and 90 (cos 80).
    bank = _unit([0, 90, 180])
    labels = torch.tensor([0, 1, 2])
    votes = knn_votes(bank, labels, _unit([10]), k=2, temperature=0.07)
    cos10, cos80 = math.cos(math.radians(10)), math.cos(math.radians(80))
    assert votes.shape == (1, 3)
    assert votes[0].tolist() == pytest.approx(
        [math.exp(cos10 / .07),
         math.exp(cos80 / .07), 0.0])
    # k larger than the bank: every bank sample votes once.
    assert (knn_votes(bank, labels, _unit([10]), k=9) > 0).all()


def test_knn_votes_leave_one_out():
    # Each sample is its own nearest neighbour unless excluded.
    bank = _unit([0, 2, 90])
    labels = torch.tensor([0, 1, 1])
    assert knn_votes(bank, labels, bank, k=1).argmax(1).tolist() == [0, 1, 1]
    assert knn_votes(
        bank, labels, bank, k=1,
        exclude_self=True).argmax(1).tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match='exclude_self'):
        knn_votes(bank, labels, bank[:2], exclude_self=True)
    with pytest.raises(ValueError, match='unlabelled split'):
        knn_votes(bank, torch.tensor([0, -1, 1]), bank)
    with pytest.raises(ValueError, match='at least 2 bank samples'):
        knn_votes(bank[:1], labels[:1], bank[:1], exclude_self=True)
