"""Analysis plots: embeddings, confusion matrices, training curves.

* :func:`extract_embeddings` pools a recognizer's backbone features per
  clip; :func:`project_2d` maps them to 2-D with scikit-learn's t-SNE when
  it is installed, else with PCA (numpy SVD).
* :func:`confusion_matrix` / :func:`per_class_accuracy` work on a score
  dump (:mod:`~mmaction_masa.apis.scores`).
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
from torch import Tensor

from ..apis.inference import iter_batches, pipeline_input
from ..models.utils import pool_clip_features

__all__ = [
    'MARKERS', 'class_styles', 'confusion_layout', 'pooled_features',
    'extract_embeddings', 'project_2d', 'plot_embedding', 'confusion_matrix',
    'per_class_accuracy', 'plot_confusion', 'write_per_class_csv',
    'find_scalars', 'read_scalars', 'plot_curves'
]

#: Validation metrics drawn by :func:`plot_curves` when logged.
ACCURACY_KEYS = ('acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5')
#: Prefix of the pre-training health monitor's scalars.
MONITOR_PREFIX = 'monitor/'


@torch.no_grad()
def pooled_features(model: nn.Module, packed: Sequence[Dict]) -> Tensor:
    """Backbone features of one batch of packed samples, averaged over
    persons, time and the test clips of each sample.

    Args:
        model (nn.Module): A ``RecognizerGCN`` whose backbone returns
            ``(N, M, D, T, V')`` features (e.g. :class:`MASABackbone`).
        packed (Sequence[dict]): Samples packed by the test pipeline.

    Returns:
        Tensor: ``(len(packed), D)`` float32 on the CPU.
    """
    data = model.data_preprocessor(pseudo_collate(list(packed)), False)
    inputs = data['inputs']
    feats = model.extract_feat(inputs)[0]
    return pool_clip_features(feats, len(inputs)).float().cpu()


def extract_embeddings(model: nn.Module,
                       pipeline: Compose,
                       clips: Sequence[Dict],
                       batch_size: int = 16) -> np.ndarray:
    """Backbone features of every clip (:func:`pooled_features`).

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
    features = [
        pooled_features(model, [pipeline(pipeline_input(c))
                                for c in batch]).numpy()
        for batch in iter_batches(clips, batch_size)
    ]
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


#: Marker shapes cycled when classes outnumber the palette's colours.
MARKERS = ('o', 's', '^', 'D', 'v', 'P', 'X', '*')


def class_styles(num_classes: int) -> List[Tuple[Tuple[float, ...], str]]:
    """A distinct (colour, marker) per class from categorical palettes.

    Colours come from ``tab10`` (up to 10 classes), ``tab20`` (up to 20)
    or ``tab20`` + ``tab20b`` + ``tab20c`` (60 colours); beyond that the
    markers of :data:`MARKERS` cycle too, so no two classes share both.

    Args:
        num_classes (int): Number of classes (>= 1).

    Returns:
        list: ``num_classes`` pairs of an RGBA colour and a marker.

    Raises:
        ValueError: ``num_classes`` < 1 or more than 60 x len(MARKERS).
    """
    if num_classes < 1:
        raise ValueError(f'num_classes must be >= 1, got {num_classes}')
    if num_classes <= 10:
        colours = list(colormaps['tab10'].colors)
    elif num_classes <= 20:
        colours = list(colormaps['tab20'].colors)
    else:
        colours = [
            c for name in ('tab20', 'tab20b', 'tab20c')
            for c in colormaps[name].colors
        ]
    if num_classes > len(colours) * len(MARKERS):
        raise ValueError(f'at most {len(colours) * len(MARKERS)} classes '
                         f'have distinct styles, got {num_classes}')
    return [(tuple(colours[i % len(colours)]) + (1.0, ),
             MARKERS[i // len(colours)]) for i in range(num_classes)]


def plot_embedding(coords: np.ndarray,
                   labels: np.ndarray,
                   class_names: Sequence[str],
                   path: Union[str, Path],
                   title: str = '',
                   max_legend: int = 120) -> Path:
    """Scatter plot of 2-D embeddings, one style per class.

    Classes get categorical colours (and markers beyond 60 classes, see
    :func:`class_styles`); the legend sits right of the axes, outside the
    points, in columns of at most 30 entries.

    Args:
        coords (np.ndarray): ``(N, 2)``.
        labels (np.ndarray): ``(N,)`` class indices.
        class_names (Sequence[str]): Names indexed by label.
        path (str | Path): The PNG to write.
        title (str): Figure title. Defaults to ''.
        max_legend (int): Draw a legend only up to this many classes.
            Defaults to 120.

    Returns:
        Path: ``path``.

    Raises:
        ValueError: ``coords`` and ``labels`` disagree in length.
    """
    coords, labels = np.asarray(coords), np.asarray(labels)
    if coords.ndim != 2 or coords.shape[1] != 2 or len(coords) != len(labels):
        raise ValueError(f'expected (N, 2) coords and N labels, got '
                         f'{coords.shape} and {labels.shape}')
    classes = np.unique(labels)
    columns = -(-len(classes) // 30) if len(classes) <= max_legend else 0
    figure = Figure(figsize=(6.5 + 1.6 * columns, 6))
    ax = figure.subplots()
    for (colour, marker), label in zip(class_styles(len(classes)), classes):
        pick = labels == label
        ax.scatter(
            *coords[pick].T,
            s=16,
            color=colour,
            marker=marker,
            linewidths=0,
            label=class_names[label])
    if columns:
        ax.legend(
            fontsize=7,
            ncol=columns,
            loc='upper left',
            bbox_to_anchor=(1.02, 1.0),
            borderaxespad=0.0,
            frameon=False,
            markerscale=1.3,
            handletextpad=0.3,
            columnspacing=0.8)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect('equal', adjustable='datalim')
    figure.tight_layout()
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


def confusion_layout(class_names: Sequence[str]) -> Dict[str, float]:
    """Font and figure size that keep every class name readable.

    Each row (and column) of the matrix gets at least 1.5 times the tick
    font's height, so consecutive names cannot overlap; the margins grow
    with the longest name.

    Args:
        class_names (Sequence[str]): The C names.

    Returns:
        dict: ``fontsize`` (points), ``cell`` (inches per class),
        ``margin`` (inches for the names), ``width`` and ``height``
        (inches of the figure).
    """
    count = len(class_names)
    fontsize = 8.0 if count <= 30 else 6.5
    cell = max(0.22 if count <= 30 else 0.0, 1.5 * fontsize / 72)
    longest = max((len(str(name)) for name in class_names), default=1)
    margin = 0.4 + 0.62 * fontsize / 72 * longest
    side = count * cell
    return dict(
        fontsize=fontsize,
        cell=cell,
        margin=margin,
        width=side + margin + 1.4,
        height=side + margin + 0.8)


def plot_confusion(matrix: np.ndarray,
                   class_names: Sequence[str],
                   path: Union[str, Path],
                   max_ticks: int = 300) -> Path:
    """Row-normalised confusion matrix as a heat map PNG.

    Every class is named on both axes (up to ``max_ticks`` classes) with
    the sizes of :func:`confusion_layout`, so names stay readable at 25 as
    at 100 classes.

    Args:
        matrix (np.ndarray): ``(C, C)`` counts from
            :func:`confusion_matrix`.
        class_names (Sequence[str]): C names.
        path (str | Path): The PNG to write.
        max_ticks (int): Label the axes only up to this many classes.
            Defaults to 300.

    Returns:
        Path: ``path``.

    Raises:
        ValueError: ``matrix`` is not square or the names are not C.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or len(
            class_names) != len(matrix):
        raise ValueError(f'expected a (C, C) matrix and C names, got '
                         f'{matrix.shape} and {len(class_names)} names')
    support = matrix.sum(1, keepdims=True)
    rates = matrix / np.maximum(support, 1)
    layout = confusion_layout(class_names)
    figure = Figure(figsize=(layout['width'], layout['height']))
    side = len(matrix) * layout['cell']
    left = layout['margin'] / layout['width']
    bottom = layout['margin'] / layout['height']
    ax = figure.add_axes(
        (left, bottom, side / layout['width'], side / layout['height']))
    cax = figure.add_axes(
        ((layout['margin'] + side + 0.15) / layout['width'], bottom,
         0.15 / layout['width'], side / layout['height']))
    image = ax.imshow(rates, cmap='Blues', vmin=0, vmax=1, aspect='auto')
    figure.colorbar(image, cax=cax, label='fraction of row')
    if len(matrix) <= max_ticks:
        ticks = np.arange(len(matrix))
        ax.set_xticks(
            ticks, class_names, rotation=90, fontsize=layout['fontsize'])
        ax.set_yticks(ticks, class_names, fontsize=layout['fontsize'])
    ax.set_xlabel('predicted')
    ax.set_ylabel('true')
    accuracy = np.trace(matrix) / max(matrix.sum(), 1)
    ax.set_title(
        f'top-1 accuracy {accuracy:.3f} ({matrix.sum()} clips)', fontsize=10)
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
