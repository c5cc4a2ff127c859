"""How many frames MASA's motion-aware mask finds and hides on real clips."""
from typing import Dict, List, Optional

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmaction.registry import DATASETS

__all__ = [
    'mask_statistics', 'summarise_masks', 'train_pipeline', 'clip_dataset'
]


def train_pipeline(cfg: Config) -> List[Dict]:
    """The training pipeline of a config (that of its first source when the
    dataset is a ``ConcatDataset``)."""
    source = cfg.train_dataloader.dataset
    source = source.datasets[0] if 'datasets' in source else source
    return source.pipeline


def clip_dataset(ann_file: str, split: Optional[str], pipeline: List[Dict]):
    """An ``ISLRDataset`` of every clip of ``ann_file``'s ``split`` (labels
    optional) with ``pipeline``."""
    return DATASETS.build(
        dict(
            type='ISLRDataset',
            ann_file=ann_file,
            split=split,
            pipeline=pipeline,
            allow_unlabelled=True))


def summarise_masks(candidates: List[np.ndarray],
                    masks: List[np.ndarray]) -> Dict[str, float]:
    """Figures of per-clip candidate sets and masks.

    Args:
        candidates (list[np.ndarray]): ``(T_b,)`` bool candidate sets S.
        masks (list[np.ndarray]): ``(T_b,)`` bool masked frames.

    Returns:
        dict[str, float]: ``clips``, ``frames_per_clip`` (mean),
        ``candidates_per_clip`` (mean |S|), ``candidate_fraction`` (of all
        frames), ``masked_fraction`` (of all frames), ``empty_rate``
        (clips with an empty S) and ``fallback_rate`` (clips with a masked
        frame outside S: only the fallback of :class:`MotionAwareMask`
        masks one, when S rounds to no masked frame; clips of one frame
        have none).
    """
    frames = np.array([len(m) for m in masks])
    sizes = np.array([c.sum() for c in candidates])
    masked = np.array([m.sum() for m in masks])
    outside = np.array([(m & ~c).any() for c, m in zip(candidates, masks)])
    return dict(
        clips=len(masks),
        frames_per_clip=float(frames.mean()),
        candidates_per_clip=float(sizes.mean()),
        candidate_fraction=float(sizes.sum() / frames.sum()),
        masked_fraction=float(masked.sum() / frames.sum()),
        empty_rate=float((sizes == 0).mean()),
        fallback_rate=float(outside.mean()))


def mask_statistics(cfg: Config,
                    ann_file: str,
                    split: Optional[str] = None,
                    num_clips: Optional[int] = None,
                    seed: int = 0) -> Dict[str, float]:
    """Run the training pipeline of a pre-training config on real clips and
    summarise its masks (:func:`summarise_masks`).

    Args:
        cfg (Config): A MASA pre-training config (its
            ``train_dataloader.dataset.pipeline``, or that of the first
            source of a ``ConcatDataset``).
        ann_file (str): Annotation pickle.
        split (str, optional): Its split. Defaults to None (all clips).
        num_clips (int, optional): The first clips only. Defaults to None.
        seed (int): numpy seed of the random draws. Defaults to 0.

    Returns:
        dict[str, float]: The figures.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    np.random.seed(seed)
    steps = [t for t in train_pipeline(cfg) if t['type'] != 'PackSignInputs']
    dataset = clip_dataset(ann_file, split, steps)
    count = len(dataset) if num_clips is None else min(num_clips, len(dataset))
    samples = [dataset[i] for i in range(count)]
    return summarise_masks([s['motion_candidates'] for s in samples],
                           [s['motion_mask'] for s in samples])
