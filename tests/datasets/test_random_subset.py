"""RandomSubsetDataset keeps a seeded fraction of the samples."""
import numpy as np
import pytest

from mmaction.registry import DATASETS
from mmaction_masa.datasets import RandomSubsetDataset


class _Range:
    metainfo = dict(name='range')

    def __len__(self):
        return 10

    def __getitem__(self, idx):
        return dict(idx=idx)


def test_fraction_and_seed():
    subset = RandomSubsetDataset(_Range(), fraction=0.3, seed=0)
    expected = np.sort(np.random.default_rng(0).permutation(10)[:3])
    assert len(subset) == 3
    assert [subset[i]['idx'] for i in range(3)] == expected.tolist()
    assert subset.metainfo == dict(name='range')
    # 0.25 * 10 = 2.5 rounds up; a tiny fraction keeps one sample.
    assert len(RandomSubsetDataset(_Range(), 0.25)) == 3
    assert len(RandomSubsetDataset(_Range(), 0.001)) == 1
    assert len(RandomSubsetDataset(_Range(), 1.0)) == 10
    other = RandomSubsetDataset(_Range(), fraction=0.3, seed=1)
    assert other.indices.tolist() != subset.indices.tolist()
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match='fraction'):
            RandomSubsetDataset(_Range(), bad)


class _Labelled:
    """Ten samples: labels 1, 1, 0, 1, 0, 0, 1, 1, 0, 1 (four 0s, six 1s)."""
    metainfo = dict(name='labelled')
    labels = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1]

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, idx):
        return dict(label=self.labels[idx])


def test_per_class_keeps_the_fraction_of_every_label():
    subset = RandomSubsetDataset(_Labelled(), 0.5, seed=3, per_class=True)
    kept = subset.indices.tolist()
    # Half of the four 0s (2) and of the six 1s (3), by hand.
    assert [_Labelled.labels[i] for i in kept].count(0) == 2
    assert [_Labelled.labels[i] for i in kept].count(1) == 3
    assert kept == sorted(kept) and len(set(kept)) == 5
    # The draw: label 0 first, then label 1, from one generator.
    rng = np.random.default_rng(3)
    zeros, ones = np.array([2, 4, 5, 8]), np.array([0, 1, 3, 6, 7, 9])
    first = zeros[rng.permutation(4)[:2]]
    second = ones[rng.permutation(6)[:3]]
    assert kept == sorted(first.tolist() + second.tolist())
    # A tiny fraction keeps one sample of each label; 1.0 keeps them all.
    tiny = RandomSubsetDataset(_Labelled(), 0.01, per_class=True)
    assert sorted(_Labelled.labels[i] for i in tiny.indices) == [0, 1]
    whole = RandomSubsetDataset(_Labelled(), 1.0, per_class=True)
    assert whole.indices.tolist() == list(range(10))
    # The same seed gives the same clips, whatever the training seed.
    again = RandomSubsetDataset(_Labelled(), 0.5, seed=3, per_class=True)
    assert again.indices.tolist() == kept


def test_per_class_refuses_unlabelled_samples():

    class _Unlabelled(_Labelled):
        labels = [0, 1, -1]

    with pytest.raises(
            ValueError, match='_Unlabelled: sample 2 has no class label'):
        RandomSubsetDataset(_Unlabelled(), 0.5, per_class=True)


def test_builds_from_config_on_real_clips(shared_data):
    subset = DATASETS.build(
        dict(
            type='RandomSubsetDataset',
            fraction=0.1,
            dataset=dict(
                type='ISLRDataset',
                ann_file=str(shared_data / 'real' / 'wlasl50_dev.pkl'),
                split='train',
                pipeline=[])))
    assert len(subset) == 16  # round(15.8)
    assert 'keypoint' in subset[0]


def test_per_class_on_real_clips(shared_data):
    subset = DATASETS.build(
        dict(
            type='RandomSubsetDataset',
            fraction=0.5,
            per_class=True,
            dataset=dict(
                type='ISLRDataset',
                ann_file=str(shared_data / 'real' / 'wlasl50_dev.pkl'),
                split='train',
                pipeline=[])))
    full = subset.dataset
    labels = np.array(
        [full.get_data_info(i)['label'] for i in range(len(full))])
    kept = labels[subset.indices]
    for label in np.unique(labels):
        count = int((labels == label).sum())
        assert (kept == label).sum() == max(1, int(np.floor(count / 2 + .5)))
