"""tools/analysis/*: embeddings map, confusion matrix, training curves,
k-NN probe."""
import csv
import json

import numpy as np
import pytest
from PIL import Image

from mmaction_masa.analysis.plots import confusion_matrix
from mmaction_masa.apis.scores import load_score_dump
from .conftest import call_script, run_tool


def test_tsne_embeddings(trained_recognizer, repo_root, tmp_path, capsys):
    out = tmp_path / 'emb.png'
    status = call_script(repo_root, 'analysis/tsne_embeddings.py',
                         trained_recognizer.config,
                         trained_recognizer.checkpoint,
                         trained_recognizer.ann_file, '--split', 'test',
                         '--method', 'pca', '--out', out)
    assert status == 0
    assert f'wrote {out} (pca, 54 clips)' in capsys.readouterr().out
    with Image.open(out) as image:
        assert image.size == (810, 600)  # 6.5 in + one legend column


def test_confusion_matrix(score_dumps, repo_root, tmp_path):
    status = call_script(repo_root, 'analysis/confusion_matrix.py',
                         score_dumps['clip16'], '--out-dir', tmp_path)
    assert status == 0
    assert (tmp_path / 'confusion_matrix.png').stat().st_size > 0
    with (tmp_path / 'per_class_accuracy.csv').open() as handle:
        rows = list(csv.DictReader(handle))
    dump = load_score_dump(score_dumps['clip16'])
    matrix = confusion_matrix(dump.scores, dump.labels)
    assert len(rows) == 25
    assert [int(r['support']) for r in rows] == matrix.sum(1).tolist()
    assert [int(r['correct']) for r in rows] == np.diag(matrix).tolist()
    assert sum(int(r['support']) for r in rows) == 54


def test_plot_curves(trained_recognizer, repo_root, tmp_path, capsys):
    out = tmp_path / 'curves.png'
    status = call_script(repo_root, 'analysis/plot_curves.py',
                         trained_recognizer.work_dir, '--out', out)
    assert status == 0
    assert 'vis_data/scalars.json' in capsys.readouterr().out
    # 'loss', 'loss_cls' and the validation accuracies.
    with Image.open(out) as image:
        assert image.size == (1080, 340)
    # Without --out the figure goes into the work dir.
    assert call_script(repo_root, 'analysis/plot_curves.py',
                       trained_recognizer.work_dir) == 0
    assert (trained_recognizer.work_dir / 'curves.png').is_file()


def test_plot_curves_without_logs(repo_root, tmp_path, capsys):
    status = call_script(repo_root, 'analysis/plot_curves.py', tmp_path)
    assert status == 2
    assert 'no <timestamp>/vis_data/scalars.json' in capsys.readouterr().err


def test_knn_probe(trained_recognizer, repo_root, capsys):
    # A recognizer checkpoint has the backbone.* keys too (its head is
    # ignored); --random-init, written between the positionals, comes
    # first.
    status = call_script(repo_root, 'analysis/knn_probe.py',
                         trained_recognizer.config, '--random-init',
                         trained_recognizer.checkpoint, '--k', '5')
    assert status == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r['checkpoint'] for r in rows
            ] == ['random init',
                  str(trained_recognizer.checkpoint)]
    assert all((r['bank'], r['query']) == (158, 54) for r in rows)
    assert all(0 <= r['top1'] <= r['top5'] <= 1 for r in rows)
    # The checkpoint is loaded, not a second random backbone: its features
    # differ (a short training can leave top-1 equal by chance).
    assert rows[0]['eff_rank'] != pytest.approx(rows[1]['eff_rank'])


def test_knn_probe_prints_json_lines_only(trained_recognizer, repo_root):
    # A class subset makes ISLRDataset log how many clips it keeps (to
    # stdout, in a process of its own); that stays out of the JSON lines.
    lines = run_tool(repo_root, 'analysis/knn_probe.py',
                     trained_recognizer.config, '--random-init',
                     '--cfg-options', 'train_dataloader.dataset.subset=20',
                     'test_dataloader.dataset.subset=20').splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert row['bank'] < 158 and row['query'] < 54


def test_knn_probe_errors(trained_recognizer, repo_root, tmp_path, capsys):
    assert call_script(repo_root, 'analysis/knn_probe.py',
                       trained_recognizer.config) == 2
    assert '--random-init' in capsys.readouterr().err
    missing = tmp_path / 'none.pth'
    assert call_script(repo_root, 'analysis/knn_probe.py',
                       trained_recognizer.config, missing) == 2
    assert str(missing) in capsys.readouterr().err
