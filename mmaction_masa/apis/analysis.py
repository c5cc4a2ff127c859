"""Analysis plots: embeddings, confusion matrices, training curves.

* :func:`extract_embeddings` pools a recognizer's backbone features per
  clip; :func:`project_2d` maps them to 2-D with scikit-learn's t-SNE when
  it is installed, else with PCA (numpy SVD).
* :func:`confusion_matrix` / :func:`per_class_accuracy` work on a score
  dump (:mod:`.scores`).
* :func:`read_scalars` reads an MMEngine work dir's
  ``<timestamp>/vis_data/scalars.json`` for :func:`plot_curves`.

Figures are drawn on matplotlib's Agg canvas (no GUI backend).
"""
import csv
import json
from importlib.util import find_spec
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from mmengine.dataset import Compose, pseudo_collate

from ..models.utils import pool_clip_features
from .inference import iter_batches, pipeline_input

__all__ = [
    'extract_embeddings', 'project_2d', 'plot_embedding', 'confusion_matrix',
    'per_class_accuracy', 'plot_confusion', 'write_per_class_csv',
    'find_scalars', 'read_scalars', 'plot_curves'
]

#: Validation metrics drawn by :func:`plot_curves` when logged.
ACCURACY_KEYS = ('acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5')
#: Prefix of the pre-training health monitor's scalars.
MONITOR_PREFIX = 'monitor/'


def extract_embeddings(model: nn.Module,
                       pipeline: Compose,
                       clips: Sequence[Dict],
                       batch_size: int = 16) -> np.ndarray:
    """Backbone features of every clip, averaged over persons and time.

    Args:
        model (nn.Module): A ``RecognizerGCN`` whose backbone returns
            ``(N, M, D, T, V')`` features (e.g. :class:`MASABackbone`).
        pipeline (Compose): The test pipeline.
        clips (Sequence[dict]): Clips (see ``inference.load_clips``).
        batch_size (int): Clips per forward pass. Defaults to 16.

    Returns:
        np.ndarray: ``(len(clips), D)`` float32, also averaged over the test
        clips (``num_clips``) of each sample.
    """
    features = []
    for batch in iter_batches(clips, batch_size):
        data = model.data_preprocessor(
            pseudo_collate([pipeline(pipeline_input(c)) for c in batch]),
            False)
        inputs = data['inputs']
        with torch.no_grad():
            feats = model.extract_feat(inputs)[0]
        features.append(
            pool_clip_features(feats, len(inputs)).float().cpu().numpy())
    return np.concatenate(features).astype(np.float32)


def _pca(features: np.ndarray) -> np.ndarray:
    """First two principal components of centred ``features``."""
    centred = features - features.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T


def project_2d(features: np.ndarray,
               method: str = 'auto',
               seed: int = 0) -> Tuple[np.ndarray, str]:
    """2-D projection of feature vectors.

    Args:
        features (np.ndarray): ``(N, D)``, N >= 2.
        method (str): ``'tsne'`` (needs scikit-learn), ``'pca'`` or
            ``'auto'`` (t-SNE when scikit-learn is installed, else PCA).
            Defaults to ``'auto'``.
        seed (int): t-SNE random state. Defaults to 0.

    Returns:
        tuple[np.ndarray, str]: ``(N, 2)`` coordinates and the method used.

    Raises:
        ImportError: ``method='tsne'`` without scikit-learn.
        ValueError: unknown method or fewer than 2 samples.
    """
    if method not in ('auto', 'tsne', 'pca'):
        raise ValueError(f"method must be 'auto', 'tsne' or 'pca', got "
                         f'{method!r}')
    if len(features) < 2:
        raise ValueError(f'need at least 2 samples, got {len(features)}')
    has_sklearn = find_spec('sklearn') is not None
    if method == 'tsne' and not has_sklearn:
        raise ImportError('t-SNE needs scikit-learn: pip install '
                          'scikit-learn (or use method="pca")')
    if method == 'pca' or not has_sklearn:
        return _pca(features.astype(np.float64)), 'pca'
    from sklearn.manifold import TSNE
    perplexity = float(min(30, max(1, (len(features) - 1) // 3)))
    coords = TSNE(
        n_components=2, perplexity=perplexity, init='pca',
        random_state=seed).fit_transform(features.astype(np.float64))
    return coords, 'tsne'


def _save(figure: Figure, path: Union[str, Path]) -> Path:
    """Render ``figure`` with Agg into ``path`` (parents created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=100)
    return path


def plot_embedding(coords: np.ndarray,
                   labels: np.ndarray,
                   class_names: Sequence[str],
                   path: Union[str, Path],
                   title: str = '',
                   max_legend: int = 30) -> Path:
    """Scatter plot of 2-D embeddings, one colour per class.

    Args:
        coords (np.ndarray): ``(N, 2)``.
        labels (np.ndarray): ``(N,)`` class indices.
        class_names (Sequence[str]): Names indexed by label.
        path (str | Path): The PNG to write.
        title (str): Figure title. Defaults to ''.
        max_legend (int): Draw a legend only up to this many classes.
            Defaults to 30.

    Returns:
        Path: ``path``.
    """
    figure = Figure(figsize=(7, 6))
    ax = figure.subplots()
    classes = np.unique(labels)
    colours = colormaps['tab20' if len(classes) <= 20 else 'turbo']
    for i, label in enumerate(classes):
        pick = labels == label
        ax.scatter(
            *coords[pick].T,
            s=14,
            color=colours(i / max(len(classes) - 1, 1)),
            label=class_names[label])
    if len(classes) <= max_legend:
        ax.legend(fontsize=6, ncol=2, loc='best', markerscale=1.5)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return _save(figure, path)


def confusion_matrix(scores: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``(C, C)`` int64 counts: rows true class, columns top-1 prediction.

    Args:
        scores (np.ndarray): ``(N, C)`` class scores.
        labels (np.ndarray): ``(N,)`` labels in ``[0, C)``.
    """
    num_classes = scores.shape[1]
    pred = np.argmax(scores, axis=1)
    flat = np.bincount(
        labels * num_classes + pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Top-1 accuracy of each true class (NaN for absent classes)."""
    support = matrix.sum(1)
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(support > 0, np.diag(matrix) / support, np.nan)


def plot_confusion(matrix: np.ndarray,
                   class_names: Sequence[str],
                   path: Union[str, Path],
                   max_ticks: int = 60) -> Path:
    """Row-normalised confusion matrix as a heat map PNG.

    Args:
        matrix (np.ndarray): ``(C, C)`` counts from
            :func:`confusion_matrix`.
        class_names (Sequence[str]): C names.
        path (str | Path): The PNG to write.
        max_ticks (int): Label the axes only up to this many classes.
            Defaults to 60.

    Returns:
        Path: ``path``.
    """
    support = matrix.sum(1, keepdims=True)
    rates = matrix / np.maximum(support, 1)
    size = min(4 + 0.25 * len(matrix), 30)
    figure = Figure(figsize=(size, size * 0.9))
    ax = figure.subplots()
    image = ax.imshow(rates, cmap='Blues', vmin=0, vmax=1)
    figure.colorbar(image, ax=ax, fraction=0.046, label='fraction of row')
    if len(matrix) <= max_ticks:
        ticks = np.arange(len(matrix))
        ax.set_xticks(ticks, class_names, rotation=90, fontsize=6)
        ax.set_yticks(ticks, class_names, fontsize=6)
    ax.set_xlabel('predicted')
    ax.set_ylabel('true')
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    ax.set_title(f'top-1 accuracy {accuracy:.3f} ({matrix.sum()} clips)')
    figure.tight_layout()
    return _save(figure, path)


def write_per_class_csv(matrix: np.ndarray, class_names: Sequence[str],
                        path: Union[str, Path]) -> Path:
    """CSV ``label,name,support,correct,accuracy`` (one row per class;
    empty accuracy for classes without test clips)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    accuracy = per_class_accuracy(matrix)
    with path.open('w', newline='') as handle:
        writer = csv.writer(handle)
        writer.writerow(['label', 'name', 'support', 'correct', 'accuracy'])
        for i, name in enumerate(class_names):
            writer.writerow([
                i, name,
                int(matrix[i].sum()),
                int(matrix[i, i]),
                '' if np.isnan(accuracy[i]) else f'{accuracy[i]:.6f}'
            ])
    return path


def find_scalars(work_dir: Union[str, Path]) -> Path:
    """The newest ``<timestamp>/vis_data/scalars.json`` of a work dir (or
    the file itself when given).

    Raises:
        FileNotFoundError: none exists.
    """
    work_dir = Path(work_dir)
    if work_dir.is_file():
        return work_dir
    found = sorted(work_dir.glob('*/vis_data/scalars.json'))
    if not found:
        raise FileNotFoundError(
            f'no <timestamp>/vis_data/scalars.json in {work_dir} (was it '
            'trained with LocalVisBackend?)')
    return found[-1]


def read_scalars(path: Union[str, Path]) -> Dict[str, List[Dict]]:
    """Training, validation and monitor records of a ``scalars.json``.

    Lines with ``loss`` are training iterations (``step`` = iteration);
    lines with a metric of :data:`ACCURACY_KEYS` are validations (``step``
    = epoch for epoch-based loops); lines with a ``monitor/`` key are the
    pre-training health monitor's (``RepresentationMonitorHook``).

    Returns:
        dict: ``train``, ``val`` and ``monitor`` lists of records (dicts),
        in file order.

    Raises:
        ValueError: a line is not JSON (naming the line).
    """
    records: Dict[str, List[Dict]] = dict(train=[], val=[], monitor=[])
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f'{path}: line {number} is not JSON ({exc})') from exc
        if 'loss' in record:
            records['train'].append(record)
        elif any(key in record for key in ACCURACY_KEYS):
            records['val'].append(record)
        elif any(key.startswith(MONITOR_PREFIX) for key in record):
            records['monitor'].append(record)
    return records


def _panels(
        records: Dict[str,
                      List[Dict]]) -> List[Tuple[str, List[Dict], List[str]]]:
    """(title, records, keys) of every panel: one per loss term (each on
    its own scale: the terms of Eq. 9 differ by orders of magnitude), one
    per monitor metric, one for the validation accuracies."""
    train = records['train']
    panels = [(key, train, [
        key
    ]) for key in sorted({k
                          for r in train
                          for k in r if k.startswith('loss')})]
    monitor = records.get('monitor', [])
    panels += [(key, monitor, [key]) for key in sorted(
        {k
         for r in monitor
         for k in r if k.startswith(MONITOR_PREFIX)})]
    val = records['val']
    keys = [k for k in ACCURACY_KEYS if any(k in r for r in val)]
    if keys:
        panels.append(('validation accuracy', val, keys))
    return panels


def plot_curves(records: Dict[str, List[Dict]],
                path: Union[str, Path],
                title: Optional[str] = None) -> Path:
    """Loss terms (per iteration), monitor metrics and validation accuracy
    (per epoch), each on its own axis, as one PNG.

    Args:
        records (dict): From :func:`read_scalars`.
        path (str | Path): The PNG to write.
        title (str, optional): Figure title. Defaults to None.

    Returns:
        Path: ``path``.

    Raises:
        ValueError: there is no training record.
    """
    if not records['train']:
        raise ValueError('no training records (lines with "loss") to plot')
    panels = _panels(records)
    figure = Figure(figsize=(3.6 * len(panels), 3.4))
    axes = np.atleast_1d(figure.subplots(1, len(panels)))
    for ax, (name, rows, keys) in zip(axes, panels):
        for key in keys:
            ax.plot([r['step'] for r in rows],
                    [r.get(key, np.nan) for r in rows],
                    marker='o' if rows is not records['train'] else None,
                    label=key)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel('iteration' if rows is records['train'] else 'epoch')
        if len(keys) > 1:
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return _save(figure, path)
