"""tools/test.py --show-dir: a picture per test clip (the hook)."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from mmaction_masa.apis.inference import load_pose_clip
from mmaction_masa.engine.hooks import PredictionPictureHook
from mmaction_masa.visualization.pose_renderer import (TRUE_COLOUR,
                                                       render_prediction)
from .conftest import run_tool


def _captured_figure(monkeypatch):
    captured = {}
    original = Figure.savefig

    def savefig(self, *args, **kwargs):
        captured['figure'] = self
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, 'savefig', savefig)
    return captured


def test_render_prediction_names_truth_and_prediction(shared_data, tmp_path,
                                                      monkeypatch):
    clip = load_pose_clip(shared_data / 'real' / 'wlasl50_dev.pkl', index=0)
    names = [f'gloss{i}' for i in range(25)]
    scores = np.full(25, 0.01)
    scores[[3, 0, 7]] = [0.5, 0.3, 0.1]
    captured = _captured_figure(monkeypatch)
    path = render_prediction(clip, scores, names, tmp_path / 'p.png', label=0)
    figure = captured['figure']
    title = figure._suptitle.get_text()
    assert 'true: gloss0' in title and 'predicted: gloss3 0.50' in title
    assert '(wrong)' in title
    bars = figure.axes[-1]
    labels = [t.get_text() for t in bars.get_yticklabels()]
    # best first (top row), ties in class order
    assert labels == ['gloss3', 'gloss0', 'gloss7', 'gloss1', 'gloss2']
    colours = {
        label: tuple(patch.get_facecolor()[:3])
        for label, patch in zip(labels, bars.patches)
    }
    from matplotlib.colors import to_rgb
    assert colours['gloss0'] == pytest.approx(to_rgb(TRUE_COLOUR))
    assert colours['gloss3'] != pytest.approx(to_rgb(TRUE_COLOUR))
    with Image.open(path) as image:
        assert image.size[0] > image.size[1] > 100
    with pytest.raises(ValueError, match='24 scores for 25 class names'):
        render_prediction(clip, scores[:24], names, tmp_path / 'x.png')
    with pytest.raises(ValueError, match='label 25 is outside'):
        render_prediction(clip, scores, names, tmp_path / 'x.png', label=25)


def test_hook_arguments():
    with pytest.raises(ValueError, match='out_dir'):
        PredictionPictureHook('')
    with pytest.raises(ValueError, match='max_pictures'):
        PredictionPictureHook('x', max_pictures=-1)


def test_test_py_show_dir(trained_recognizer, repo_root, tmp_path):
    show = tmp_path / 'show'
    run_tool(repo_root, 'test.py', trained_recognizer.config,
             trained_recognizer.checkpoint, '--work-dir', tmp_path / 'work',
             '--show-dir', show)
    pictures = sorted(show.glob('*.png'))
    assert len(pictures) == 54  # every clip of the test split
    assert pictures[0].name.startswith('00000_')
    assert pictures[-1].name.startswith('00053_')
    with Image.open(pictures[0]) as image:
        assert image.size[0] > 4 * 150  # four pose frames and the bars
