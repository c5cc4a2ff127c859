"""Batches of clips of similar length (less padding in whole-clip batches)."""
from typing import Iterator, List, Optional, Sequence

import numpy as np
from torch.utils.data import Sampler

from mmaction.registry import DATA_SAMPLERS

__all__ = ['LengthGroupedBatchSampler', 'clip_lengths']


def clip_lengths(dataset) -> np.ndarray:
    """``total_frames`` of every sample of a dataset, without loading poses.

    Args:
        dataset: A dataset with ``get_data_info(idx)`` (``ISLRDataset``,
            mmengine's wrappers, ``RandomSubsetDataset``).

    Returns:
        np.ndarray: ``(len(dataset),)`` int64 frame counts.

    Raises:
        ValueError: When a sample has no ``total_frames``.
    """
    lengths = np.empty(len(dataset), dtype=np.int64)
    for idx in range(len(dataset)):
        info = dataset.get_data_info(idx)
        if 'total_frames' not in info:
            raise ValueError(f'sample {idx} ({info.get("frame_dir", "?")}) '
                             'has no total_frames: LengthGroupedBatchSampler '
                             'needs each clip\'s length')
        lengths[idx] = int(info['total_frames'])
    return lengths


@DATA_SAMPLERS.register_module()
class LengthGroupedBatchSampler(Sampler):
    """Batch sampler that groups clips of similar length (ours, for speed).

    Whole-clip pre-training pads every batch to its longest clip; in the
    sign corpus 86 % of the clips have 30 frames but most random batches of
    32 hold a longer one, so the Transformers run on up to twice the real
    frames. This sampler takes the wrapped sampler's order (so shuffling,
    seeding, ``set_epoch`` and distributed sharding are the sampler's),
    cuts it into pools of ``pool_batches * batch_size`` indices, sorts each
    pool by clip length (stable), splits it into batches and shuffles the
    order of the batches within the pool with a generator seeded by the
    pool's indices (deterministic for a given epoch order). The number of
    batches is that of ``torch.utils.data.BatchSampler``: only the last one
    may be smaller (or dropped with ``drop_last``), so epoch lengths and
    schedules are unchanged. Use it as
    ``train_dataloader = dict(batch_sampler=dict(
    type='LengthGroupedBatchSampler'), ...)``.

    Args:
        sampler (Sampler): The index sampler (e.g. ``DefaultSampler``); its
            ``dataset`` gives the clip lengths (:func:`clip_lengths`).
        batch_size (int): Samples per batch.
        pool_batches (int): Batches per sorted pool: 1 keeps the sampler's
            batches (only reordered inside each), larger groups lengths
            more tightly. Defaults to 50.
        drop_last (bool): Drop the last incomplete batch. Defaults to False.
        lengths (Sequence[int], optional): Length of each dataset sample
            (instead of reading them from ``sampler.dataset``).
            Defaults to None.
    """

    def __init__(self,
                 sampler: Sampler,
                 batch_size: int,
                 pool_batches: int = 50,
                 drop_last: bool = False,
                 lengths: Optional[Sequence[int]] = None) -> None:
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(
                f'batch_size must be a positive int, got {batch_size!r}')
        if not isinstance(pool_batches, int) or pool_batches <= 0:
            raise ValueError('pool_batches must be a positive int, got '
                             f'{pool_batches!r}')
        self.sampler = sampler
        self.batch_size = batch_size
        self.pool_batches = pool_batches
        self.drop_last = drop_last
        self.lengths = np.asarray(
            clip_lengths(sampler.dataset) if lengths is None else lengths,
            dtype=np.int64)

    def _pool_batches(self, pool: List[int]) -> List[List[int]]:
        """The pool sorted by length, cut into batches, batches shuffled."""
        index = np.asarray(pool, dtype=np.int64)
        index = index[np.argsort(self.lengths[index], kind='stable')]
        batches = [
            index[i:i + self.batch_size].tolist()
            for i in range(0, len(index), self.batch_size)
        ]
        order = np.random.default_rng(index.tolist()).permutation(len(batches))
        return [batches[i] for i in order]

    def __iter__(self) -> Iterator[List[int]]:
        indices = list(self.sampler)
        full = len(indices) - len(indices) % self.batch_size
        pool_size = self.pool_batches * self.batch_size
        for start in range(0, full, pool_size):
            yield from self._pool_batches(
                indices[start:min(start + pool_size, full)])
        if full < len(indices) and not self.drop_last:
            yield indices[full:]

    def __len__(self) -> int:
        num = len(self.sampler)
        if self.drop_last:
            return num // self.batch_size
        return (num + self.batch_size - 1) // self.batch_size
