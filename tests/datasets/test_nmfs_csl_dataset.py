"""Tests of NMFsCSLDataset's total / confusing / normal settings."""
import pickle

import numpy as np
import pytest

from mmaction_masa.datasets.nmfs_csl import NMFsCSLDataset, read_class_indices


def write_labels(path, labels):
    """A pickle with one 49-joint clip per label, all in split 'test'."""
    anns = [
        dict(
            frame_dir=f'c{i}',
            label=label,
            total_frames=2,
            keypoint=np.zeros((1, 2, 49, 2), np.float32),
            keypoint_score=np.ones((1, 2, 49), np.float32))
        for i, label in enumerate(labels)
    ]
    split = dict(test=[a['frame_dir'] for a in anns])
    path.write_bytes(pickle.dumps(dict(split=split, annotations=anns)))
    return str(path)


@pytest.fixture
def files(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [0, 3, 5, 7, 1066, 3])
    confusing = tmp_path / 'confusing.txt'
    confusing.write_text('3\n1066\n\n5\n')
    return ann_file, str(confusing)


def labels_of(ds):
    return [ds[i]['label'] for i in range(len(ds))]


def test_settings(files):
    ann_file, confusing = files
    kwargs = dict(
        ann_file=ann_file,
        pipeline=[],
        split='test',
        confusing_class_file=confusing)
    assert labels_of(NMFsCSLDataset(subset='total',
                                    **kwargs)) == [0, 3, 5, 7, 1066, 3]
    assert labels_of(NMFsCSLDataset(**kwargs)) == [0, 3, 5, 7, 1066, 3]
    confusing_ds = NMFsCSLDataset(subset='confusing', **kwargs)
    assert labels_of(confusing_ds) == [3, 5, 1066, 3]
    assert confusing_ds.num_classes == 1067
    assert labels_of(NMFsCSLDataset(subset='normal', **kwargs)) == [0, 7]


def test_drop_is_logged(files, log_messages):
    ann_file, confusing = files
    NMFsCSLDataset(
        ann_file, pipeline=[], subset='normal', confusing_class_file=confusing)
    assert any("subset 'normal'" in m and 'keeps 2 of 6 clips, dropped 4' in m
               for m in log_messages)


def test_confusing_file_required_and_checked(files, tmp_path):
    ann_file, _ = files
    for subset in ('confusing', 'normal'):
        with pytest.raises(ValueError, match='needs confusing_class_file'):
            NMFsCSLDataset(ann_file, pipeline=[], subset=subset)
    missing = str(tmp_path / 'nope.txt')
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        NMFsCSLDataset(
            ann_file,
            pipeline=[],
            subset='confusing',
            confusing_class_file=missing)
    with pytest.raises(
            ValueError,
            match=r"subset must be one of \['total', "
            r"'confusing', 'normal'\]"):
        NMFsCSLDataset(ann_file, pipeline=[], subset='hard')


@pytest.mark.parametrize('text,problem', [('3\nx\n', "line 2: .* got 'x'"),
                                          ('1067\n', "line 1: .*'1067'"),
                                          ('-1\n', "line 1: .*'-1'"),
                                          ('\n\n', 'lists no class index')])
def test_read_class_indices_errors(tmp_path, text, problem):
    path = tmp_path / 'c.txt'
    path.write_text(text)
    with pytest.raises(ValueError, match=f'c.txt: {problem}'):
        read_class_indices(str(path), 1067)


def test_read_class_indices(tmp_path):
    path = tmp_path / 'c.txt'
    path.write_text(' 7\n2\n7\n')
    np.testing.assert_array_equal(read_class_indices(str(path), 10), [2, 7])
