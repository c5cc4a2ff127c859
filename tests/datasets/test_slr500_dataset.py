"""Tests of SLR500Dataset."""
import pickle

import numpy as np
import pytest

from mmaction_masa.datasets import AnnotationError
from mmaction_masa.datasets.slr500 import SLR500Dataset


def write_labels(path, labels):
    """A pickle with one 49-joint clip per label (no split)."""
    anns = [
        dict(
            frame_dir=f'P01_{i}',
            label=label,
            total_frames=1,
            keypoint=np.zeros((1, 1, 49, 2), np.float32),
            keypoint_score=np.ones((1, 1, 49), np.float32))
        for i, label in enumerate(labels)
    ]
    path.write_bytes(pickle.dumps(anns))
    return str(path)


def test_all_500_classes(tmp_path):
    ds = SLR500Dataset(
        write_labels(tmp_path / 'a.pkl', [0, 250, 499]), pipeline=[])
    assert len(ds) == 3 and ds.num_classes == 500


def test_no_subsets_and_label_range(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [0])
    with pytest.raises(
            ValueError,
            match=r'subset must be None \(this '
            r'dataset has no subsets\), got 100'):
        SLR500Dataset(ann_file, pipeline=[], subset=100)
    bad_file = write_labels(tmp_path / 'b.pkl', [0, 500])
    with pytest.raises(
            AnnotationError,
            match=r"sample 'P01_1', field "
            r"'label': label 500 is outside .*\[0, 500\)"):
        SLR500Dataset(bad_file, pipeline=[])
