"""Per-instance and per-class top-k accuracy for isolated SLR."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from mmaction.registry import METRICS

__all__ = ['ISLRMetric', 'true_class_rank', 'islr_accuracy']


def true_class_rank(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Rank of the true class in each row of ``scores`` (0 = best).

    Classes are ordered by descending score; equal scores keep the lower
    class index first, so a constant score vector does not count as a hit
    for every class.

    Args:
        scores (np.ndarray): ``(N, C)`` class scores.
        labels (np.ndarray): ``(N,)`` integer labels in ``[0, C)``.

    Returns:
        np.ndarray: ``(N,)`` int64 ranks.
    """
    order = np.argsort(-scores, axis=1, kind='stable')
    return np.argmax(order == labels[:, None], axis=1)


def islr_accuracy(scores: np.ndarray, labels: np.ndarray,
                  topk: Sequence[int]) -> Dict[str, float]:
    """Per-instance (P-I) and per-class (P-C) top-k accuracy.

    The per-class accuracy is the mean, over the classes present in
    ``labels``, of each class's top-k accuracy. A class that is only
    predicted and never the ground truth does not enter the mean (unlike
    MMAction2's ``mean_class_accuracy``, which averages over the union of
    predicted and true classes).

    Args:
        scores (np.ndarray): ``(N, C)`` class scores.
        labels (np.ndarray): ``(N,)`` integer labels in ``[0, C)``.
        topk (Sequence[int]): the k values.

    Returns:
        dict: ``top{k}`` and ``class_top{k}`` for every k, as floats.
    """
    rank = true_class_rank(scores, labels)
    counts = np.bincount(labels, minlength=scores.shape[1])
    present = counts > 0
    results = {}
    for k in topk:
        hit = (rank < k).astype(np.float64)
        class_hits = np.bincount(
            labels, weights=hit, minlength=scores.shape[1])
        results[f'top{k}'] = float(hit.mean())
        results[f'class_top{k}'] = float(
            (class_hits[present] / counts[present]).mean())
    return results


@METRICS.register_module()
class ISLRMetric(BaseMetric):
    """Top-k accuracy per instance and per class for isolated SLR.

    Reads ``pred_score`` and ``gt_label`` of each data sample, like
    MMAction2's ``AccMetric``, and reports ``acc/top{k}`` (per instance,
    P-I) and ``acc/class_top{k}`` (per class, P-C, averaged over the
    classes present in the ground truth) for each k in ``topk``.

    Args:
        topk (int | tuple[int]): the k values, e.g. ``(1, 5)``, or
            ``(1, 2)`` for NMFs-CSL. Defaults to ``(1, 5)``.
        collect_device (str): device used to collect results across ranks,
            ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): prefix of the metric names. Defaults to
            ``None``, which uses ``'acc'``.
    """
    default_prefix = 'acc'

    def __init__(self,
                 topk: Union[int, Tuple[int, ...]] = (1, 5),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        if not topk or any(not isinstance(k, int) or k < 1 for k in topk):
            raise ValueError(f'topk must be positive integers, got {topk!r}')
        self.topk = topk

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Store the score vector and label of each data sample.

        Args:
            data_batch: the batch from the dataloader (unused).
            data_samples (Sequence[dict]): model outputs with
                ``pred_score`` (C,) and ``gt_label`` (1,).
        """
        for sample in data_samples:
            label = torch.as_tensor(sample['gt_label']).reshape(-1)
            if label.numel() != 1:
                raise ValueError('ISLRMetric expects one gt_label per '
                                 f'sample, got {tuple(label.shape)}')
            self.results.append(
                dict(
                    pred=torch.as_tensor(
                        sample['pred_score']).detach().cpu().numpy(),
                    label=int(label.item())))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Compute the accuracies of all processed samples.

        Args:
            results (list[dict]): ``pred`` and ``label`` of every sample.

        Returns:
            dict: ``top{k}`` and ``class_top{k}`` for every k.
        """
        if not results:
            raise ValueError('ISLRMetric got no results to evaluate')
        scores = np.stack([r['pred'] for r in results]).astype(np.float64)
        labels = np.array([r['label'] for r in results], dtype=np.int64)
        if labels.min() < 0 or labels.max() >= scores.shape[1]:
            raise ValueError(
                f'labels must lie in [0, {scores.shape[1]}) (the width of '
                f'pred_score), got [{labels.min()}, {labels.max()}]')
        return islr_accuracy(scores, labels, self.topk)
