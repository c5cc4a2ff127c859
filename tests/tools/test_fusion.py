"""tools/fusion.py on real dumps of the session's tiny recognizer."""
import json

import numpy as np
import pytest

from mmaction_masa.apis.scores import evaluate_scores, load_score_dump
from .conftest import call_script


def _report(capsys) -> dict:
    out = capsys.readouterr().out
    return json.loads(out[out.index('{'):out.rindex('}') + 1])


def test_fusion_of_two_dumps(score_dumps, repo_root, tmp_path, capsys):
    first, second = score_dumps['clip16'], score_dumps['clip8']
    out = tmp_path / 'fused.pkl'
    status = call_script(repo_root, 'fusion.py', first, second, '--weights', 1,
                         0.5, '--out', out)
    assert status == 0
    report = _report(capsys)
    a, b = load_score_dump(first), load_score_dump(second)
    assert len(a.labels) == 54  # the test split of wlasl50_dev
    fused = load_score_dump(out)
    np.testing.assert_allclose(
        fused.scores, a.scores + 0.5 * b.scores, rtol=1e-6)
    np.testing.assert_array_equal(fused.labels, a.labels)
    assert fused.frame_dirs == a.frame_dirs
    assert report['fused'] == pytest.approx(evaluate_scores(fused))
    assert report[str(first)] == pytest.approx(evaluate_scores(a))
    assert set(report['fused']) == {
        'acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5'
    }


def test_fusion_zero_weight_gives_the_other_model(score_dumps, repo_root,
                                                  capsys):
    status = call_script(repo_root, 'fusion.py', score_dumps['clip16'],
                         score_dumps['clip8'], '--weights', 0, 2)
    assert status == 0
    report = _report(capsys)
    assert report['fused'] == report[str(score_dumps['clip8'])]


def test_fusion_rejects_unaligned_dumps(score_dumps, repo_root, tmp_path,
                                        capsys):
    dump = load_score_dump(score_dumps['clip16'])
    from mmaction_masa.apis.scores import ScoreDump, save_score_dump
    shorter = tmp_path / 'shorter.pkl'
    save_score_dump(
        ScoreDump(dump.scores[1:], dump.labels[1:], dump.frame_dirs[1:]),
        shorter)
    status = call_script(repo_root, 'fusion.py', score_dumps['clip16'],
                         shorter)
    assert status == 2
    assert f'{shorter}: scores (53, 25) do not match' in \
        capsys.readouterr().err
