"""Score dumps of ``tools/test.py --dump``: loading, fusion, evaluation.

A dump is MMAction2's ``DumpResults`` pickle: a list with one dict per test
clip holding ``pred_score`` (C,) and ``gt_label`` (1,) tensors (plus
metainfo such as ``frame_dir``). RGB models of MMAction2 write the same
format, so pose and RGB predictions can be fused clip by clip.
"""
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Union

import mmengine
import numpy as np
import torch

from ..evaluation import ISLRMetric
from ..safe_loading import DUMP_SAFE_GLOBALS, restricted_loads

__all__ = [
    'ScoreDump', 'load_score_dump', 'save_score_dump', 'fuse_scores',
    'evaluate_scores'
]


class ScoreDump(NamedTuple):
    """The predictions of one model on one test set."""

    scores: np.ndarray  #: (N, C) float64
    labels: np.ndarray  #: (N,) int64
    frame_dirs: Optional[List[str]]  #: per clip, when the dump has them


def load_score_dump(path: Union[str, Path]) -> ScoreDump:
    """Read a ``DumpResults`` pickle.

    Args:
        path (str | Path): The ``.pkl`` dump.

    Returns:
        ScoreDump: Scores, labels and (if every entry has one) frame_dirs.

    Raises:
        ValueError: the file is not a non-empty list of dicts with
            ``pred_score`` and ``gt_label``, or the score widths differ.
        UnsafePickleError: the pickle names a global other than numpy /
            builtin values and CPU tensors (nothing of it is run).
    """
    results = restricted_loads(
        Path(path).read_bytes(), str(path), DUMP_SAFE_GLOBALS)
    if not isinstance(results, list) or not results:
        raise ValueError(f'{path}: expected a non-empty list of results '
                         f'(tools/test.py --dump), got {type(results)}')
    for i, item in enumerate(results):
        if not isinstance(item, dict) or not {'pred_score', 'gt_label'
                                              } <= set(item):
            raise ValueError(f'{path}: result #{i} lacks "pred_score" / '
                             '"gt_label"')
    scores = [torch.as_tensor(r['pred_score']).reshape(-1) for r in results]
    widths = {len(s) for s in scores}
    if len(widths) != 1:
        raise ValueError(f'{path}: pred_score widths differ: {widths}')
    labels = np.array(
        [int(torch.as_tensor(r['gt_label']).reshape(-1)[0]) for r in results],
        np.int64)
    frame_dirs = [r.get('frame_dir') for r in results]
    return ScoreDump(
        torch.stack(scores).double().numpy(), labels,
        frame_dirs if all(isinstance(f, str) for f in frame_dirs) else None)


def save_score_dump(dump: ScoreDump, path: Union[str, Path]) -> None:
    """Write scores in the ``DumpResults`` format :func:`load_score_dump`
    reads (``pred_score`` float32, ``gt_label`` (1,), ``frame_dir``)."""
    results = []
    for i, (score, label) in enumerate(zip(dump.scores, dump.labels)):
        item = dict(
            pred_score=torch.from_numpy(score).float(),
            gt_label=torch.tensor([int(label)]))
        if dump.frame_dirs is not None:
            item['frame_dir'] = dump.frame_dirs[i]
        results.append(item)
    mmengine.dump(results, str(path), file_format='pkl')


def _check_aligned(dumps: Sequence[ScoreDump], names: Sequence[str]) -> None:
    """Same clips, in the same order, with the same labels and widths."""
    first = dumps[0]
    for dump, name in zip(dumps[1:], names[1:]):
        if dump.scores.shape != first.scores.shape:
            raise ValueError(
                f'{name}: scores {dump.scores.shape} do not match '
                f'{names[0]}: {first.scores.shape}')
        if first.frame_dirs is not None and dump.frame_dirs is not None \
                and dump.frame_dirs != first.frame_dirs:
            raise ValueError(f'{name}: clips (frame_dir) differ from '
                             f'{names[0]} or are in another order')
        if not np.array_equal(dump.labels, first.labels):
            raise ValueError(f'{name}: gt_label differs from {names[0]}')


def fuse_scores(dumps: Sequence[ScoreDump],
                weights: Sequence[float],
                names: Optional[Sequence[str]] = None) -> ScoreDump:
    """Weighted sum of the score matrices of aligned dumps.

    Args:
        dumps (Sequence[ScoreDump]): Predictions of each model on the same
            clips (same order, labels and class count).
        weights (Sequence[float]): One weight per dump.
        names (Sequence[str], optional): Dump names for error messages.

    Returns:
        ScoreDump: ``sum_i w_i scores_i`` with the shared labels.

    Raises:
        ValueError: no dump, a weight count mismatch, or unaligned dumps.
    """
    names = list(names or [f'dump {i}' for i in range(len(dumps))])
    if not dumps or len(weights) != len(dumps):
        raise ValueError(f'need one weight per dump, got {len(weights)} '
                         f'weights for {len(dumps)} dumps')
    _check_aligned(dumps, names)
    fused = sum(w * d.scores for w, d in zip(weights, dumps))
    return ScoreDump(fused, dumps[0].labels, dumps[0].frame_dirs)


def evaluate_scores(
    dump: ScoreDump, topk: Sequence[int] = (1, 5)) -> Dict[str, float]:
    """:class:`ISLRMetric` (``acc/top{k}``, ``acc/class_top{k}``) of a
    score matrix.

    Args:
        dump (ScoreDump): Scores and labels.
        topk (Sequence[int]): The k values. Defaults to (1, 5).

    Returns:
        dict: The metric's results.
    """
    metric = ISLRMetric(topk=tuple(topk))
    metric.process(None, [
        dict(pred_score=torch.from_numpy(s), gt_label=torch.tensor([y]))
        for s, y in zip(dump.scores, dump.labels)
    ])
    return metric.evaluate(len(dump.labels))
