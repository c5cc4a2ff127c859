"""Mask statistics: by hand, and on the real dev clips (whole clips)."""
import numpy as np
import pytest
from mmengine.config import Config

from mmaction_masa.analysis.mask_statistics import (mask_statistics,
                                                    summarise_masks)


def test_summarise_masks_by_hand():
    b = np.array
    candidates = [b([1, 1, 0, 0], bool), b([0, 0, 0], bool), b([0], bool)]
    # Clip 1: S empty, the fallback masked frame 2; clip 2: one frame,
    # nothing masked.
    masks = [b([1, 1, 0, 0], bool), b([0, 0, 1], bool), b([0], bool)]
    stats = summarise_masks(candidates, masks)
    assert stats == dict(
        clips=3,
        frames_per_clip=8 / 3,
        candidates_per_clip=2 / 3,
        candidate_fraction=2 / 8,
        masked_fraction=3 / 8,
        empty_rate=2 / 3,
        fallback_rate=1 / 3)


def test_whole_clip_pretraining_statistics(repo_root, shared_data):
    ann = shared_data / 'real' / 'wlasl50_dev.pkl'
    cfg = Config.fromfile(str(repo_root / 'configs/masa_pretrain_wlasl.py'))
    stats = mask_statistics(cfg, str(ann), split='train')
    # Whole clips: every frame of the 158 training clips is kept (<= 150).
    import pickle
    with open(ann, 'rb') as f:
        content = pickle.load(f)
    train = set(content['split']['train'])
    lengths = [
        a['total_frames'] for a in content['annotations']
        if a['frame_dir'] in train
    ]
    assert stats['clips'] == 158
    assert stats['frames_per_clip'] == pytest.approx(np.mean(lengths))
    # Algorithm 1 on these MediaPipe poses: few candidates, many fallbacks
    # (measured: 10.6 % of frames, 60 % of the clips with an empty S).
    assert 0.05 < stats['candidate_fraction'] < 0.2
    assert 0.4 < stats['empty_rate'] < 0.8
    assert stats['fallback_rate'] <= stats['empty_rate']
