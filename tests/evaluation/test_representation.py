"""Effective rank and leave-one-out k-NN accuracy, by hand."""
import math

import pytest
import torch

from mmaction_masa.evaluation import effective_rank, knn_accuracy


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
