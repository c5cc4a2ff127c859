"""mmaction_masa.analysis.plots: embeddings, confusion, curves."""
import csv
import json
from importlib.util import find_spec

import numpy as np
import pytest
from PIL import Image

from mmaction_masa.analysis.plots import (class_styles, confusion_layout,
                                          confusion_matrix, extract_embeddings,
                                          find_scalars, per_class_accuracy,
                                          plot_confusion, plot_curves,
                                          plot_embedding, project_2d,
                                          read_scalars, write_per_class_csv)
from mmaction_masa.apis import build_test_pipeline, load_clips


def test_extract_embeddings(tiny_model, shared_data):
    model, cfg = tiny_model
    clips = load_clips([shared_data / 'real' / 'wlasl50_dev.pkl'])[:5]
    features = extract_embeddings(
        model, build_test_pipeline(cfg), clips, batch_size=2)
    assert features.shape == (5, 24) and np.isfinite(features).all()
    assert not np.allclose(features[0], features[1])


def test_project_2d_pca_separates_clusters(tmp_path):
    rng = np.random.default_rng(0)
    features = np.concatenate(
        [rng.normal(0, 0.1, (10, 6)),
         rng.normal(5, 0.1, (10, 6))])
    coords, method = project_2d(features, 'pca')
    assert method == 'pca' and coords.shape == (20, 2)
    first = coords[:, 0]
    assert (np.sign(first[:10]) != np.sign(first[10:])).all()
    labels = np.repeat([0, 1], 10)
    out = plot_embedding(coords, labels, ['a', 'b'], tmp_path / 'e.png')
    with Image.open(out) as image:
        assert image.size == (810, 600)  # 6.5 in + one legend column
    with pytest.raises(ValueError, match='at least 2 samples'):
        project_2d(features[:1])


@pytest.mark.skipif(
    find_spec('sklearn') is not None, reason='scikit-learn is installed')
def test_project_2d_tsne_needs_sklearn():
    with pytest.raises(ImportError, match='scikit-learn'):
        project_2d(np.zeros((4, 3)), 'tsne')
    assert project_2d(np.eye(4), 'auto')[1] == 'pca'


def test_confusion_and_per_class(tmp_path):
    scores = np.array([[0.9, 0.1, 0], [0.2, 0.8, 0], [0.6, 0.4, 0],
                       [0.1, 0.9, 0]])
    labels = np.array([0, 1, 1, 0])
    matrix = confusion_matrix(scores, labels)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    accuracy = per_class_accuracy(matrix)
    np.testing.assert_array_equal(accuracy[:2], [0.5, 0.5])
    assert np.isnan(accuracy[2])
    path = write_per_class_csv(matrix, ['a', 'b', 'c'], tmp_path / 'p.csv')
    with path.open() as handle:
        rows = list(csv.reader(handle))
    assert rows == [['label', 'name', 'support', 'correct', 'accuracy'],
                    ['0', 'a', '2', '1', '0.500000'],
                    ['1', 'b', '2', '1', '0.500000'], ['2', 'c', '0', '0', '']]


def test_scalars_and_curves(tmp_path):
    lines = [
        dict(loss=2.0, loss_cls=2.0, lr=0.1, epoch=1, iter=1, step=1),
        dict(loss=1.5, loss_cls=1.5, lr=0.1, epoch=1, iter=2, step=2),
        {
            'acc/top1': 0.25,
            'acc/top5': 0.5,
            'step': 1
        },
    ]
    for stamp in ('20260101_000000', '20260102_000000'):
        folder = tmp_path / stamp / 'vis_data'
        folder.mkdir(parents=True)
        (folder / 'scalars.json').write_text('\n'.join(
            json.dumps(line) for line in lines) + '\n')
    path = find_scalars(tmp_path)
    assert path.parent.parent.name == '20260102_000000'
    records = read_scalars(path)
    assert [r['step'] for r in records['train']] == [1, 2]
    assert records['val'] == [lines[2]]
    out = plot_curves(records, tmp_path / 'c.png', 'run')
    # Panels: 'loss', 'loss_cls' (each on its own axis) and the accuracy.
    with Image.open(out) as image:
        assert image.size == (1080, 340)
    path.write_text('{"loss": 1}\nnot json\n')
    with pytest.raises(ValueError, match='line 2 is not JSON'):
        read_scalars(path)
    with pytest.raises(ValueError, match='no training records'):
        plot_curves(dict(train=[], val=[]), tmp_path / 'x.png')


def test_pretraining_curves_put_each_loss_and_monitor_on_its_own_axis(
        tmp_path):
    path = tmp_path / 'scalars.json'
    lines = [
        dict(loss=5.0, loss_motion=5.0, loss_align=0.01, step=1),
        {
            'monitor/knn_top1': 0.3,
            'monitor/eff_rank': 12.0,
            'step': 1
        },
    ]
    path.write_text('\n'.join(json.dumps(line) for line in lines))
    records = read_scalars(path)
    assert records['monitor'] == [lines[1]]
    out = plot_curves(records, tmp_path / 'p.png')
    # loss, loss_align, loss_motion, monitor/eff_rank, monitor/knn_top1.
    with Image.open(out) as image:
        assert image.size == (1800, 340)


def test_embedding_palette_and_legend_outside(tmp_path):
    styles = class_styles(100)
    assert len(set(styles)) == 100  # colour + marker unique per class
    assert len({c for c, _ in class_styles(25)}) == 25
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(25), 4)
    coords = rng.normal(size=(100, 2)) + labels[:, None]
    names = [f'gloss{i}' for i in range(25)]
    from matplotlib.figure import Figure
    captured = {}
    original = Figure.savefig

    def savefig(self, *args, **kwargs):
        captured['figure'] = self
        return original(self, *args, **kwargs)

    Figure.savefig = savefig
    try:
        plot_embedding(coords, labels, names, tmp_path / 'e.png')
    finally:
        Figure.savefig = original
    figure = captured['figure']
    ax = figure.axes[0]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == names
    renderer = figure.canvas.get_renderer()
    # the legend lies right of the axes: no point can be under it
    assert legend.get_window_extent(renderer).x0 >= \
        ax.get_window_extent(renderer).x1
    assert legend.get_window_extent(renderer).x1 <= figure.bbox.x1 + 1


@pytest.mark.parametrize('num_classes', [25, 100])
def test_confusion_names_do_not_overlap(tmp_path, num_classes):
    names = [f'gloss_{i:03d}_name' for i in range(num_classes)]
    layout = confusion_layout(names)
    # a row is at least 1.5 font heights tall
    assert layout['cell'] * 72 >= 1.5 * layout['fontsize']
    assert layout['fontsize'] >= 6
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 5, (num_classes, num_classes))
    from matplotlib.figure import Figure
    captured = {}
    original = Figure.savefig

    def savefig(self, *args, **kwargs):
        captured['figure'] = self
        return original(self, *args, **kwargs)

    Figure.savefig = savefig
    try:
        plot_confusion(matrix, names, tmp_path / 'c.png')
    finally:
        Figure.savefig = original
    figure = captured['figure']
    ax = figure.axes[0]
    renderer = figure.canvas.get_renderer()
    for labels, axis in ((ax.get_yticklabels(), 1), (ax.get_xticklabels(), 0)):
        assert [t.get_text() for t in labels] == names
        boxes = [t.get_window_extent(renderer) for t in labels]
        spans = sorted((b.extents[axis], b.extents[axis + 2]) for b in boxes)
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start >= end - 0.5  # consecutive names do not overlap
        # every name lies inside the figure
        assert min(b.x0 for b in boxes) >= 0
        assert min(b.y0 for b in boxes) >= 0
    with pytest.raises(ValueError, match='expected a'):
        plot_confusion(matrix, names[:-1], tmp_path / 'bad.png')
