"""SourceSplitDataset: a validation split by source (signer)."""
import numpy as np
import pytest

from mmaction.registry import DATASETS
from mmaction_masa.datasets import SourceSplitDataset
from mmaction_masa.datasets.source_split import held_out_sources


class _Sources:
    """Twelve clips of five sources: e d e a b c a e b d c a."""
    metainfo = dict(name='sources')
    sources = list('edeabcaebdca')

    def __len__(self):
        return len(self.sources)

    def get_data_info(self, idx):
        return dict(frame_dir=f'clip_{idx}', source=self.sources[idx])

    def __getitem__(self, idx):
        return dict(idx=idx)


def test_held_out_sources_by_the_documented_rule():
    # 5 distinct sources, 0.3 * 5 = 1.5 rounds up to 2: the first two of
    # the seeded permutation of the sorted sources.
    order = np.random.default_rng(0).permutation(5)
    expected = sorted(np.array(list('abcde'))[order[:2]].tolist())
    assert held_out_sources(list('edeabcaebdca'), 0.3, 0) == expected
    # At least one and never all sources.
    assert len(held_out_sources(list('abcde'), 0.01, 0)) == 1
    assert len(held_out_sources(list('abcde'), 0.99, 0)) == 4
    for bad in (0, 1, 1.5):
        with pytest.raises(ValueError, match='fraction'):
            held_out_sources(list('abcde'), bad, 0)
    with pytest.raises(ValueError, match='2 sources'):
        held_out_sources(list('aaa'), 0.5, 0)


def test_parts_are_disjoint_by_source_and_cover_the_dataset():
    val = SourceSplitDataset(_Sources(), fraction=0.4, part='val', seed=2)
    train = DATASETS.build(
        dict(
            type='SourceSplitDataset',
            dataset=_Sources(),
            fraction=0.4,
            part='train',
            seed=2))
    assert len(val.held_out) == 2 and val.held_out == train.held_out
    sources = _Sources.sources
    val_sources = {sources[i] for i in val.indices}
    train_sources = {sources[i] for i in train.indices}
    assert val_sources == set(val.held_out)
    assert not val_sources & train_sources
    assert sorted([*val.indices, *train.indices]) == list(range(12))
    assert [val[i]['idx'] for i in range(len(val))] == val.indices.tolist()
    assert val.get_data_info(0)['source'] in val.held_out
    assert train.metainfo == dict(name='sources')


def test_missing_source_names_the_sample():

    class _NoSource(_Sources):

        def get_data_info(self, idx):
            return dict(frame_dir=f'clip_{idx}')

    with pytest.raises(KeyError, match="clip_0.*'source'"):
        SourceSplitDataset(_NoSource())
    with pytest.raises(ValueError, match='part'):
        SourceSplitDataset(_Sources(), part='test')


def test_signs35_validation_split(shared_data):
    """The recipe's validation split: 26 of the 129 training sources."""
    dataset = dict(
        type='ISLRDataset',
        ann_file=str(shared_data / 'real' / 'signs_multisigner_dev.pkl'),
        split='train',
        num_classes=339,
        subset=35,
        pipeline=[])
    val = SourceSplitDataset(dataset, fraction=0.2, part='val', seed=0)
    train = SourceSplitDataset(val.dataset, fraction=0.2, part='train')
    assert len(val.held_out) == 26
    assert len(val) + len(train) == 9979
    assert (len(train), len(val)) == (8038, 1941)
