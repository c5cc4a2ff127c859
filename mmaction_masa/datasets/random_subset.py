"""A seeded random fraction of a dataset (for data-scale studies)."""
from typing import Dict, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmaction.registry import DATASETS

__all__ = ['IndexedSubset', 'RandomSubsetDataset']


class IndexedSubset:
    """The samples ``indices`` of a wrapped ``dataset``, as a dataset.

    The base of the dataset wrappers that choose their samples once, on
    construction (:class:`RandomSubsetDataset`, :class:`SourceSplitDataset`):
    they set ``self.dataset`` and ``self.indices``.
    """

    dataset: BaseDataset
    indices: np.ndarray

    def full_init(self) -> None:
        """Nothing to do (the samples are chosen on construction);
        called by mmengine's wrappers such as ``RepeatDataset``."""

    @property
    def metainfo(self) -> dict:
        """The wrapped dataset's metainfo."""
        return self.dataset.metainfo

    def __len__(self) -> int:
        return len(self.indices)

    def get_data_info(self, idx: int) -> dict:
        """The annotation of kept sample ``idx`` (no pipeline applied)."""
        return self.dataset.get_data_info(int(self.indices[idx]))

    def __getitem__(self, idx: int) -> dict:
        return self.dataset[int(self.indices[idx])]


@DATASETS.register_module()
class RandomSubsetDataset(IndexedSubset):
    """Keep a random ``fraction`` of a dataset's samples, the same ones for
    a given ``seed`` (e.g. 1 % / 10 % / 100 % of the unlabelled clips for
    the data-scale curve of pre-training; wrap it in mmengine's
    ``RepeatDataset`` to keep the number of optimisation steps per epoch).

    The kept indices are ``sorted(rng.permutation(N)[:round(fraction N)])``
    with ``rng = np.random.default_rng(seed)`` (at least one sample), so a
    smaller fraction with the same seed is not necessarily a subset of a
    larger one; ``metainfo`` is the wrapped dataset's.

    With ``per_class=True`` (label-scarce fine-tuning: the same share of
    every class) the draw is made within each label instead: for the labels
    in ascending order, ``round(fraction n_c)`` (at least one) of the
    ``n_c`` samples of label ``c``, taken in the order of
    ``rng.permutation(n_c)`` from the one ``rng`` above; the kept indices
    are sorted.

    Args:
        dataset (dict | BaseDataset): The dataset or its config.
        fraction (float): Fraction kept, in (0, 1].
        seed (int): Seed of the draw. Defaults to 0.
        per_class (bool): Draw the fraction within each ``label`` of
            ``get_data_info``. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[Dict, BaseDataset],
                 fraction: float,
                 seed: int = 0,
                 per_class: bool = False) -> None:
        if not 0 < fraction <= 1:
            raise ValueError(f'fraction must be in (0, 1], got {fraction}')
        self.dataset = (
            DATASETS.build(dataset) if isinstance(dataset, dict) else dataset)
        rng = np.random.default_rng(seed)
        if per_class:
            self.indices = _per_class_draw(self._labels(), fraction, rng)
        else:
            self.indices = _draw(np.arange(len(self.dataset)), fraction, rng)
        self.fraction = fraction
        self.seed = seed

    def _labels(self) -> np.ndarray:
        """The ``label`` of every sample, for the per-class draw."""
        source = getattr(self.dataset, 'ann_file', type(self.dataset).__name__)
        labels = []
        for idx in range(len(self.dataset)):
            label = self.dataset.get_data_info(idx).get('label')
            if label is None or np.ndim(label) != 0 or int(label) < 0:
                raise ValueError(
                    f'RandomSubsetDataset(per_class=True): {source}: sample '
                    f'{idx} has no class label (field label={label!r})')
            labels.append(int(label))
        return np.asarray(labels, dtype=np.int64)


def _draw(candidates: np.ndarray, fraction: float,
          rng: np.random.Generator) -> np.ndarray:
    """``round(fraction n)`` (at least one) of the ``n`` candidates in the
    order of ``rng.permutation(n)``, sorted."""
    count = max(1, int(np.floor(fraction * len(candidates) + 0.5)))
    return np.sort(candidates[rng.permutation(len(candidates))[:count]])


def _per_class_draw(labels: np.ndarray, fraction: float,
                    rng: np.random.Generator) -> np.ndarray:
    """:func:`_draw` within each label, in ascending label order."""
    kept = [
        _draw(np.flatnonzero(labels == label), fraction, rng)
        for label in np.unique(labels)
    ]
    return np.sort(np.concatenate(kept)) if kept else np.zeros(0, np.int64)
