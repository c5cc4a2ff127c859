"""A validation split carved from a dataset by source (signer)."""
from typing import Dict, List, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmaction.registry import DATASETS
from .random_subset import IndexedSubset

__all__ = ['SourceSplitDataset', 'held_out_sources']

PARTS = ('train', 'val')


def held_out_sources(sources: List[str], fraction: float,
                     seed: int) -> List[str]:
    """The sources held out for validation.

    The distinct sources are sorted, permuted with
    ``np.random.default_rng(seed).permutation`` and the first
    ``round(fraction * S)`` (at least one, at most ``S - 1``) are held out,
    so the split depends only on the set of sources, the fraction and the
    seed.

    Args:
        sources (list[str]): The source of every sample (repeats allowed).
        fraction (float): Share of the distinct sources held out, in
            (0, 1).
        seed (int): Seed of the permutation.

    Returns:
        list[str]: The held-out sources, sorted.
    """
    if not 0 < fraction < 1:
        raise ValueError(f'fraction must be in (0, 1), got {fraction}')
    distinct = np.array(sorted(set(sources)))
    if len(distinct) < 2:
        raise ValueError('a split by source needs at least 2 sources, got '
                         f'{len(distinct)}')
    count = int(np.floor(fraction * len(distinct) + 0.5))
    count = min(max(count, 1), len(distinct) - 1)
    order = np.random.default_rng(seed).permutation(len(distinct))
    return sorted(distinct[order[:count]].tolist())


@DATASETS.register_module()
class SourceSplitDataset(IndexedSubset):
    """The training or validation part of a dataset split by source.

    Choosing a recipe on the test signers would tune it to them; this
    wrapper carves a validation split out of the *training* clips the way
    the signer-independent task is split: a seeded share of the sources
    (``key``, e.g. the ``source`` field of
    ``signs_multisigner_dev.pkl``, one signer each) is held out (see
    :func:`held_out_sources`); ``part='val'`` keeps the clips of those
    sources, ``part='train'`` the others. The two parts with the same
    ``fraction`` and ``seed`` are disjoint and cover the dataset.

    Args:
        dataset (dict | BaseDataset): The dataset or its config.
        fraction (float): Share of the sources held out, in (0, 1).
            Defaults to 0.2.
        part (str): ``'train'`` or ``'val'``. Defaults to ``'train'``.
        seed (int): Seed of the draw of sources. Defaults to 0.
        key (str): The per-sample field naming the source. Defaults to
            ``'source'``.
    """

    def __init__(self,
                 dataset: Union[Dict, BaseDataset],
                 fraction: float = 0.2,
                 part: str = 'train',
                 seed: int = 0,
                 key: str = 'source') -> None:
        if part not in PARTS:
            raise ValueError(f'part must be one of {PARTS}, got {part!r}')
        self.dataset = (
            DATASETS.build(dataset) if isinstance(dataset, dict) else dataset)
        sources = self._sources(key)
        self.held_out = held_out_sources(sources, fraction, seed)
        in_val = np.isin(np.array(sources), self.held_out)
        self.indices = np.flatnonzero(in_val if part == 'val' else ~in_val)
        self.fraction, self.part, self.seed = fraction, part, seed

    def _sources(self, key: str) -> List[str]:
        """The ``key`` field of every sample, as strings."""
        where = getattr(self.dataset, 'ann_file', type(self.dataset).__name__)
        sources = []
        for idx in range(len(self.dataset)):
            info = self.dataset.get_data_info(idx)
            if key not in info:
                raise KeyError(
                    f'SourceSplitDataset: {where}: sample '
                    f'{info.get("frame_dir", idx)!r} has no {key!r} field')
            sources.append(str(info[key]))
        return sources
