"""Tests of MSASLDataset subsets."""
import pickle

import numpy as np
import pytest

from mmaction_masa.datasets import AnnotationError
from mmaction_masa.datasets.msasl import MSASLDataset


def write_labels(path, labels):
    """A pickle with one 133-joint clip per label (no split)."""
    anns = [
        dict(
            frame_dir=f'v{i}',
            label=label,
            total_frames=3,
            keypoint=np.zeros((1, 3, 133, 2), np.float32),
            keypoint_score=np.ones((1, 3, 133), np.float32))
        for i, label in enumerate(labels)
    ]
    path.write_bytes(pickle.dumps(anns))
    return str(path)


def test_subsets_keep_labels_below_k(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [0, 99, 100, 199, 200, 999])
    sizes = {
        k: len(MSASLDataset(ann_file, pipeline=[], subset=k))
        for k in (100, 200, 1000)
    }
    assert sizes == {100: 2, 200: 4, 1000: 6}
    assert MSASLDataset(ann_file, pipeline=[]).num_classes == 1000


def test_bad_subset_and_label(tmp_path):
    ann_file = write_labels(tmp_path / 'a.pkl', [0])
    with pytest.raises(
            ValueError,
            match=r'subset must be one of '
            r'\[100, 200, 1000\], got 300'):
        MSASLDataset(ann_file, pipeline=[], subset=300)
    bad_file = write_labels(tmp_path / 'b.pkl', [1000])
    with pytest.raises(AnnotationError, match=r"sample 'v0', field 'label'"):
        MSASLDataset(bad_file, pipeline=[])
