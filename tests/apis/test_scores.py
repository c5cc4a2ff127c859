"""mmaction_masa.apis.scores: dump I/O, fusion, evaluation."""
import mmengine
import numpy as np
import pytest
import torch

from mmaction_masa.apis.scores import (ScoreDump, evaluate_scores, fuse_scores,
                                       load_score_dump, save_score_dump)
from mmaction_masa.evaluation.islr_metric import islr_accuracy


@pytest.fixture
def dump():
    scores = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1],
                       [0.2, 0.2, 0.6]])
    return ScoreDump(scores, np.array([0, 1, 1, 2]), ['a', 'b', 'c', 'd'])


def test_roundtrip(dump, tmp_path):
    path = tmp_path / 'd.pkl'
    save_score_dump(dump, path)
    raw = mmengine.load(str(path))
    assert raw[0]['pred_score'].dtype == torch.float32
    assert raw[0]['gt_label'].tolist() == [0]
    loaded = load_score_dump(path)
    np.testing.assert_allclose(loaded.scores, dump.scores, rtol=1e-6)
    np.testing.assert_array_equal(loaded.labels, dump.labels)
    assert loaded.frame_dirs == dump.frame_dirs


def test_load_rejects_other_pickles(tmp_path):
    path = tmp_path / 'bad.pkl'
    mmengine.dump([dict(pred_score=torch.zeros(3))], str(path))
    with pytest.raises(ValueError, match='result #0 lacks'):
        load_score_dump(path)
    mmengine.dump([
        dict(pred_score=torch.zeros(3), gt_label=torch.tensor([0])),
        dict(pred_score=torch.zeros(4), gt_label=torch.tensor([0]))
    ], str(path))
    with pytest.raises(ValueError, match='widths differ'):
        load_score_dump(path)


def test_fuse_and_evaluate(dump):
    other = ScoreDump(dump.scores[:, ::-1].copy(), dump.labels,
                      dump.frame_dirs)
    fused = fuse_scores([dump, other], [1.0, 0.5])
    np.testing.assert_allclose(fused.scores, dump.scores + 0.5 * other.scores)
    metrics = evaluate_scores(dump, topk=(1, 2))
    expected = islr_accuracy(dump.scores, dump.labels, (1, 2))
    assert metrics == {f'acc/{k}': v for k, v in expected.items()}
    assert metrics['acc/top1'] == 0.5  # clips 'b' and 'c' are wrong
    with pytest.raises(ValueError, match='need one weight per dump'):
        fuse_scores([dump, other], [1.0])
    moved = ScoreDump(dump.scores, dump.labels, ['a', 'c', 'b', 'd'])
    with pytest.raises(ValueError, match='other order'):
        fuse_scores([dump, moved], [1, 1], ['x.pkl', 'y.pkl'])
    relabelled = ScoreDump(dump.scores, dump.labels[::-1], None)
    with pytest.raises(ValueError, match='gt_label differs'):
        fuse_scores([dump, relabelled], [1, 1])
