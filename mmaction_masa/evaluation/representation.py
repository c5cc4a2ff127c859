"""Health figures of a learned representation: effective rank and
leave-one-out k-NN accuracy of pooled features."""
import torch
from torch import Tensor

__all__ = ['effective_rank', 'knn_accuracy']


def effective_rank(features: Tensor) -> float:
    """``(sum_i s_i)^2 / sum_i s_i^2`` over the singular values ``s`` of the
    centred features: the number of directions the features really use
    (1 for features on a line, ``min(N, D)`` for isotropic ones; 0 when
    every feature is the same, a complete collapse).

    Args:
        features (Tensor): ``(N, D)``.

    Returns:
        float: The effective rank.
    """
    centred = features.double() - features.double().mean(0, keepdim=True)
    sigma = torch.linalg.svdvals(centred)
    energy = float(sigma.square().sum())
    return 0.0 if energy <= 1e-24 * max(1, centred.numel()) else float(
        sigma.sum()**2 / energy)


def knn_accuracy(features: Tensor,
                 labels: Tensor,
                 k: int = 5,
                 temperature: float = 0.07) -> float:
    """Leave-one-out k-NN top-1 accuracy on cosine similarity.

    Each sample's label is predicted from its ``k`` most similar other
    samples, each voting with weight ``exp(similarity / temperature)`` (the
    weighted k-NN monitor of self-supervised learning, e.g. DINO's).

    Args:
        features (Tensor): ``(N, D)`` features, N >= 2.
        labels (Tensor): ``(N,)`` integer labels.
        k (int): Neighbours. Defaults to 5 (clamped to N - 1).
        temperature (float): Vote temperature. Defaults to 0.07.

    Returns:
        float: The fraction of samples whose predicted label is right.
    """
    if len(features) < 2:
        raise ValueError('knn_accuracy needs at least 2 samples')
    unit = torch.nn.functional.normalize(features.double(), dim=1)
    similarity = unit @ unit.T
    similarity.fill_diagonal_(-float('inf'))
    top, index = similarity.topk(min(k, len(features) - 1), dim=1)
    labels = labels.long()
    votes = torch.zeros(
        len(features), int(labels.max()) + 1, dtype=torch.float64)
    votes.scatter_add_(1, labels[index], torch.exp(top / temperature))
    return float((votes.argmax(1) == labels).double().mean())
