"""Health figures of a learned representation: effective rank and
k-NN votes and accuracy of pooled features."""
import torch
from torch import Tensor

__all__ = ['effective_rank', 'knn_votes', 'knn_accuracy']


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


def knn_votes(bank: Tensor,
              bank_labels: Tensor,
              queries: Tensor,
              k: int = 5,
              temperature: float = 0.07,
              exclude_self: bool = False) -> Tensor:
    """Weighted k-NN class votes of ``queries`` against a labelled bank.

    Each query's ``k`` most cosine-similar bank samples vote for their
    labels with weight ``exp(similarity / temperature)`` (the weighted k-NN
    of self-supervised learning, e.g. DINO's); the vote matrix can be read
    as class scores (e.g. by :func:`~.islr_metric.islr_accuracy`).

    Args:
        bank (Tensor): ``(N, D)`` labelled features.
        bank_labels (Tensor): ``(N,)`` integer labels.
        queries (Tensor): ``(Q, D)`` features to classify.
        k (int): Neighbours. Defaults to 5 (clamped to the bank size, minus
            one with ``exclude_self``).
        temperature (float): Vote temperature. Defaults to 0.07.
        exclude_self (bool): The queries are the bank itself (``Q == N``,
            same order): a sample does not vote for itself (leave-one-out).
            Defaults to False.

    Returns:
        Tensor: ``(Q, C)`` float64 votes, ``C = max label + 1``.

    Raises:
        ValueError: too small a bank, ``exclude_self`` with queries that
            are not the bank, or a negative (unknown) bank label.
    """
    available = len(bank) - int(exclude_self)
    if available < 1:
        raise ValueError(f'knn_votes needs at least {1 + int(exclude_self)} '
                         f'bank samples, got {len(bank)}')
    if exclude_self and len(queries) != len(bank):
        raise ValueError('exclude_self needs the bank as the queries, got '
                         f'{len(queries)} queries for {len(bank)} samples')
    similarity = torch.nn.functional.normalize(
        queries.double(), dim=1) @ torch.nn.functional.normalize(
            bank.double(), dim=1).T
    if exclude_self:
        similarity.fill_diagonal_(-float('inf'))
    top, index = similarity.topk(min(k, available), dim=1)
    bank_labels = bank_labels.long()
    if len(bank_labels) and int(bank_labels.min()) < 0:
        raise ValueError('knn_votes needs labelled bank samples (labels >= '
                         f'0), got label {int(bank_labels.min())}: an '
                         'unlabelled split?')
    votes = torch.zeros(
        len(queries), int(bank_labels.max()) + 1, dtype=torch.float64)
    votes.scatter_add_(1, bank_labels[index], torch.exp(top / temperature))
    return votes


def knn_accuracy(features: Tensor,
                 labels: Tensor,
                 k: int = 5,
                 temperature: float = 0.07) -> float:
    """Leave-one-out k-NN top-1 accuracy on cosine similarity
    (:func:`knn_votes` of every sample against the others).

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
    votes = knn_votes(features, labels, features, k, temperature, True)
    return float((votes.argmax(1) == labels.long()).double().mean())
