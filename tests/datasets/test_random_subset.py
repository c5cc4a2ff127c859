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
