"""A seeded random fraction of a dataset (for data-scale studies)."""
from typing import Dict, Union

import numpy as np
from mmengine.dataset import BaseDataset

from mmaction.registry import DATASETS

__all__ = ['RandomSubsetDataset']


@DATASETS.register_module()
class RandomSubsetDataset:
    """Keep a random ``fraction`` of a dataset's samples, the same ones for
    a given ``seed`` (e.g. 1 % / 10 % / 100 % of the unlabelled clips for
    the data-scale curve of pre-training; wrap it in mmengine's
    ``RepeatDataset`` to keep the number of optimisation steps per epoch).

    The kept indices are ``sorted(rng.permutation(N)[:round(fraction N)])``
    with ``rng = np.random.default_rng(seed)`` (at least one sample), so a
    smaller fraction with the same seed is not necessarily a subset of a
    larger one; ``metainfo`` is the wrapped dataset's.

    Args:
        dataset (dict | BaseDataset): The dataset or its config.
        fraction (float): Fraction kept, in (0, 1].
        seed (int): Seed of the draw. Defaults to 0.
    """

    def __init__(self,
                 dataset: Union[Dict, BaseDataset],
                 fraction: float,
                 seed: int = 0) -> None:
        if not 0 < fraction <= 1:
            raise ValueError(f'fraction must be in (0, 1], got {fraction}')
        self.dataset = (
            DATASETS.build(dataset) if isinstance(dataset, dict) else dataset)
        total = len(self.dataset)
        count = max(1, int(np.floor(fraction * total + 0.5)))
        order = np.random.default_rng(seed).permutation(total)
        self.indices = np.sort(order[:count])
        self.fraction = fraction
        self.seed = seed

    def full_init(self) -> None:
        """Nothing to do (the draw needs the whole dataset, so it is
        initialised on construction); called by mmengine's wrappers such as
        ``RepeatDataset``."""

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
