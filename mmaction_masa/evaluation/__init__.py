"""Evaluation metrics of mmaction_masa."""
from .islr_metric import ISLRMetric, islr_accuracy, true_class_rank

__all__ = ['ISLRMetric', 'islr_accuracy', 'true_class_rank']
