"""Tests of WLASLDataset on the real WLASL dev file and subset filtering."""
import pickle

import numpy as np
import pytest

from mmaction.registry import DATASETS
from mmaction_masa.datasets import AnnotationError
from mmaction_masa.datasets.wlasl import WLASLDataset


def write_labels(path, labels):
    """A pickle with one 49-joint clip per label, all in split 'train'."""
    anns = [
        dict(
            frame_dir=f'v{i}',
            label=label,
            total_frames=2,
            keypoint=np.zeros((1, 2, 49, 2), np.float32),
            keypoint_score=np.ones((1, 2, 49), np.float32))
        for i, label in enumerate(labels)
    ]
    split = dict(train=[a['frame_dir'] for a in anns])
    path.write_bytes(pickle.dumps(dict(split=split, annotations=anns)))
    return str(path)


def test_real_wlasl_dev_file(shared_data):
    ann_file = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    train = WLASLDataset(ann_file, pipeline=[], split='train')
    test = DATASETS.build(
        dict(
            type='WLASLDataset',
            ann_file=ann_file,
            pipeline=[],
            split='test',
            test_mode=True))
    assert len(train) == 158 and len(test) == 54
    assert train.num_classes == 2000
    item = test[0]
    assert item['keypoint'].shape[0] == 1 and item['keypoint'].shape[2:] == (
        49, 2)
    assert item['keypoint_score'].shape == item['keypoint'].shape[:3]
    assert item['total_frames'] == item['keypoint'].shape[1]
    labels = {train[i]['label'] for i in range(len(train))}
    assert labels == set(range(25))
    assert train.metainfo['classes'][0] == 'accident'


def test_subsets_keep_labels_below_k(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [5, 99, 100, 299, 999, 1999])
    sizes = {
        k: len(WLASLDataset(ann_file, pipeline=[], split='train', subset=k))
        for k in (100, 300, 1000, 2000)
    }
    assert sizes == {100: 2, 300: 4, 1000: 5, 2000: 6}
    assert len(WLASLDataset(ann_file, pipeline=[])) == 6


def test_bad_subset_and_label(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [1])
    for bad in (50, 200, '100'):
        with pytest.raises(
                ValueError,
                match=r'WLASLDataset: subset must be '
                r'one of \[100, 300, 1000, 2000\]'):
            WLASLDataset(ann_file, pipeline=[], subset=bad)
    bad_file = write_labels(tmp_path / 'b.pkl', [1, 2000])
    with pytest.raises(
            AnnotationError,
            match=r"sample 'v1', field 'label': "
            r'label 2000 is outside the label space \[0, 2000\)'):
        WLASLDataset(bad_file, pipeline=[], subset=100)
