"""Evaluation metrics of mmaction_masa."""
from .islr_metric import ISLRMetric, islr_accuracy, true_class_rank
from .representation import effective_rank, knn_accuracy, knn_votes

__all__ = [
    'ISLRMetric', 'islr_accuracy', 'true_class_rank', 'effective_rank',
    'knn_accuracy', 'knn_votes'
]
