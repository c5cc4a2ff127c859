"""LengthGroupedBatchSampler: pools sorted by clip length, batches kept."""
import numpy as np
import pytest
from mmengine.dataset import DefaultSampler
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from mmaction.registry import DATA_SAMPLERS
from mmaction_masa.datasets import LengthGroupedBatchSampler
from mmaction_masa.datasets.samplers import clip_lengths


class _Clips:
    """A dataset of clips with the given lengths (no poses needed)."""

    def __init__(self, lengths):
        self.lengths = list(lengths)

    def __len__(self):
        return len(self.lengths)

    def get_data_info(self, idx):
        return dict(frame_dir=f'clip{idx}', total_frames=self.lengths[idx])

    def __getitem__(self, idx):
        return idx


LENGTHS = [5, 1, 4, 2, 3, 6, 1, 2, 7]


def test_pools_are_sorted_by_length_then_cut_into_batches():
    # Sequential order, batches of 2, pools of 2 batches = 4 indices:
    # pool 0 = clips 0..3, lengths 5 1 4 2 -> sorted 1 3 2 0;
    # pool 1 = clips 4..7, lengths 3 6 1 2 -> sorted 6 7 4 5;
    # clip 8 is the incomplete last batch, in the sampler's order.
    sampler = LengthGroupedBatchSampler(
        list(range(9)), batch_size=2, pool_batches=2, lengths=LENGTHS)
    batches = list(sampler)
    assert len(sampler) == len(batches) == 5
    assert sorted(batches[:2]) == [[1, 3], [2, 0]]
    assert sorted(batches[2:4]) == [[4, 5], [6, 7]]
    assert batches[4] == [8]
    dropped = LengthGroupedBatchSampler(
        list(range(9)), 2, pool_batches=2, drop_last=True, lengths=LENGTHS)
    assert len(dropped) == 4
    assert sorted(i for b in dropped for i in b) == list(range(8))


def test_one_batch_pools_keep_the_samplers_batches():
    order = [3, 0, 7, 1, 8, 2, 5, 4, 6]
    sampler = LengthGroupedBatchSampler(
        order, 3, pool_batches=1, lengths=LENGTHS)
    # Each batch is the sampler's next 3 indices sorted by length (stable):
    # (3, 0, 7) lengths (2, 5, 2) -> 3 7 0; (1, 8, 2) lengths (1, 7, 4)
    # -> 1 2 8; (5, 4, 6) lengths (6, 3, 1) -> 6 4 5.
    assert list(sampler) == [[3, 7, 0], [1, 2, 8], [6, 4, 5]]


def test_shuffled_epochs_are_permutations_and_deterministic():
    rng = np.random.default_rng(0)
    dataset = _Clips(rng.integers(8, 143, size=103))
    base = DefaultSampler(dataset, shuffle=True, seed=3)
    sampler = LengthGroupedBatchSampler(base, batch_size=8, pool_batches=4)
    assert sampler.lengths.tolist() == dataset.lengths
    first = list(sampler)
    assert len(first) == len(sampler) == 13
    assert sorted(i for b in first for i in b) == list(range(103))
    assert list(sampler) == first
    base.set_epoch(1)
    second = list(sampler)
    assert second != first
    assert sorted(i for b in second for i in b) == list(range(103))


def test_grouping_reduces_padding():
    # 86 % clips of 30 frames and some long ones, as in the sign corpus.
    rng = np.random.default_rng(0)
    lengths = np.where(
        rng.random(3200) < 0.86, 30, rng.integers(8, 143, size=3200))
    base = DefaultSampler(_Clips(lengths), shuffle=True, seed=0)

    def padded(batches):
        return sum(len(b) * lengths[b].max() for b in map(np.array, batches))

    random_batches = [list(base)[i:i + 32] for i in range(0, 3200, 32)]
    grouped = LengthGroupedBatchSampler(base, 32, lengths=lengths)
    assert padded(grouped) < 0.75 * padded(random_batches)
    assert padded(grouped) >= lengths.sum()


def test_bad_arguments_and_missing_lengths():
    with pytest.raises(ValueError, match='batch_size'):
        LengthGroupedBatchSampler([0], 0, lengths=[1])
    with pytest.raises(ValueError, match='pool_batches'):
        LengthGroupedBatchSampler([0], 1, pool_batches=0, lengths=[1])

    class NoLength(_Clips):

        def get_data_info(self, idx):
            return dict(frame_dir=f'clip{idx}')

    with pytest.raises(ValueError, match='clip0.*total_frames'):
        clip_lengths(NoLength([4, 5]))


def test_builds_as_the_batch_sampler_of_a_dataloader():
    assert DATA_SAMPLERS.get('LengthGroupedBatchSampler') is \
        LengthGroupedBatchSampler
    with DefaultScope.overwrite_default_scope('mmaction'):
        loader = _loader()
    assert [sorted(b) for b in loader][-1] == [8]
    assert sorted(i for b in loader for i in b) == list(range(9))


def _loader():
    """A DataLoader built as mmengine builds a config's."""
    return Runner.build_dataloader(
        dict(
            batch_size=2,
            num_workers=0,
            dataset=_Clips(LENGTHS),
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_sampler=dict(
                type='LengthGroupedBatchSampler', pool_batches=2),
            collate_fn=dict(type='pseudo_collate')))
