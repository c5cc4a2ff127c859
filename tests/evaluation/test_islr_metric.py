"""Tests of ISLRMetric against hand-computed accuracies."""
import numpy as np
import pytest
import torch

from mmaction.evaluation import mean_class_accuracy
from mmaction.registry import METRICS
from mmaction.structures import ActionDataSample
from mmaction_masa.evaluation import ISLRMetric, islr_accuracy

# Five samples, three classes. Rank of the true class: 0, 2, 1, 0, 1.
SCORES = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.4, 0.5, 0.1],
                   [0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])
LABELS = np.array([0, 0, 0, 1, 2])


def _samples(scores: np.ndarray, labels: np.ndarray) -> list:
    """Data samples as the evaluator hands them to a metric (dicts)."""
    samples = []
    for score, label in zip(scores, labels):
        sample = ActionDataSample().set_gt_label(int(label))
        sample.set_pred_score(torch.tensor(score, dtype=torch.float32))
        samples.append(sample.to_dict())
    return samples


def _evaluate(metric: ISLRMetric, scores: np.ndarray,
              labels: np.ndarray) -> dict:
    metric.process({}, _samples(scores, labels))
    return metric.evaluate(len(labels))


def test_per_instance_differs_from_per_class():
    metrics = _evaluate(METRICS.build(dict(type='ISLRMetric')), SCORES, LABELS)
    # top1: samples 0 and 3 hit -> 2/5; per class: (1/3 + 1 + 0) / 3.
    # top5 >= number of classes: every sample hits.
    assert metrics == pytest.approx({
        'acc/top1': 2 / 5,
        'acc/top5': 1.0,
        'acc/class_top1': 4 / 9,
        'acc/class_top5': 1.0
    })


def test_top2_for_nmfs_csl():
    metrics = _evaluate(ISLRMetric(topk=(1, 2)), SCORES, LABELS)
    # top2: ranks < 2 for samples 0, 2, 3, 4 -> 4/5;
    # per class: (2/3 + 1 + 1) / 3.
    assert metrics == pytest.approx({
        'acc/top1': 2 / 5,
        'acc/top2': 4 / 5,
        'acc/class_top1': 4 / 9,
        'acc/class_top2': 8 / 9
    })


def test_predicted_only_class_is_not_averaged():
    # Labels use classes 0-2; sample 1 is predicted as class 3, which is
    # never the ground truth.
    scores = np.array([[0.7, 0.1, 0.1, 0.1], [0.3, 0.1, 0.1, 0.5],
                       [0.1, 0.6, 0.2, 0.1], [0.1, 0.2, 0.6, 0.1]])
    labels = np.array([0, 0, 1, 2])
    metrics = _evaluate(ISLRMetric(topk=1), scores, labels)
    # Per class over {0, 1, 2}: (1/2 + 1 + 1) / 3.
    assert metrics == pytest.approx({
        'acc/top1': 3 / 4,
        'acc/class_top1': 5 / 6
    })
    # MMAction2's mean1 averages over {0, 1, 2, 3}: 2.5 / 4.
    assert mean_class_accuracy(list(scores), list(labels)) == \
        pytest.approx(0.625)


def test_predicted_only_class_changes_nothing():
    # Moving a wrong prediction from a true class to a predicted-only class
    # leaves the per-class accuracy unchanged.
    scores = np.array([[0.7, 0.1, 0.1, 0.1], [0.3, 0.5, 0.1, 0.1],
                       [0.1, 0.6, 0.2, 0.1], [0.1, 0.2, 0.6, 0.1]])
    moved = scores.copy()
    moved[1] = [0.3, 0.1, 0.1, 0.5]
    labels = np.array([0, 0, 1, 2])
    assert islr_accuracy(scores, labels, (1, )) == \
        islr_accuracy(moved, labels, (1, ))


def test_ties_do_not_count_as_hits():
    scores = np.full((3, 4), 0.25)
    labels = np.array([0, 1, 3])
    # Equal scores rank the lower class index first: ranks 0, 1, 3.
    assert islr_accuracy(scores, labels, (1, 2)) == pytest.approx({
        'top1':
        1 / 3,
        'class_top1':
        1 / 3,
        'top2':
        2 / 3,
        'class_top2':
        2 / 3
    })


def test_prefix_and_batches():
    metric = ISLRMetric(topk=(1, ), prefix='wlasl')
    metric.process({}, _samples(SCORES[:2], LABELS[:2]))
    metric.process({}, _samples(SCORES[2:], LABELS[2:]))
    assert metric.evaluate(5) == pytest.approx({
        'wlasl/top1': 2 / 5,
        'wlasl/class_top1': 4 / 9
    })


@pytest.mark.parametrize('topk', [(), (0, ), (1, 2.0)])
def test_invalid_topk(topk):
    with pytest.raises(ValueError, match='topk'):
        ISLRMetric(topk=topk)


def test_label_outside_scores():
    metric = ISLRMetric()
    metric.process({}, _samples(SCORES[:1], np.array([3])))
    with pytest.raises(ValueError, match=r'\[0, 3\)'):
        metric.evaluate(1)


def test_multi_label_rejected():
    sample = dict(pred_score=torch.zeros(3), gt_label=torch.tensor([0, 1]))
    with pytest.raises(ValueError, match='one gt_label'):
        ISLRMetric().process({}, [sample])
