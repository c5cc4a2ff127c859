"""What MA's motion target costs under predictors that learn nothing.

MA is only useful if its decoder predicts the masked frames' motion from
the visible ones better than a rule could. This module measures Eq. 4 (the
config's ``MotionPredictionLoss``) on real clips for two rules and, given
checkpoints, for pre-trained models, on the same clips and masks:

- ``zero``: no motion (``y_i = 0``), the best constant when the motion
  averages out;
- ``interpolation``: the masked frames' poses linearly interpolated in time
  from the nearest visible frames, then ``y_i = x'_{i+k} - x'_i`` of the
  filled-in sequence (at every target interval of a multi-scale target).

A checkpoint whose loss is not below ``zero`` has learnt nothing about
the clips; one above ``interpolation`` has learnt less than the rule.
"""
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed
from torch import Tensor

from mmaction.registry import MODELS
from ..apis.inference import load_recognizer
from .mask_statistics import clip_dataset, train_pipeline

__all__ = [
    'interpolate_masked', 'imputed_motion', 'motion_pipeline',
    'baseline_losses', 'motion_baselines', 'checkpoint_motion_loss',
    'fit_one_batch', 'LEARNING_MODES', 'no_motion_every_frame',
    'learning_curve'
]

#: The packed fields MA needs (``MASA.loss`` without SA's ``view2``).
MA_KEYS = ('motion_mask', 'motion_target', 'motion_weight', 'joint_weight')


def interpolate_masked(keypoint: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Fill the masked frames in by linear interpolation in time.

    A masked frame between two visible frames gets the point on the line
    between them; one before the first (after the last) visible frame gets
    that frame's values; with no visible frame every value is 0.

    Args:
        keypoint (np.ndarray): ``(T, ...)`` values per frame.
        mask (np.ndarray): ``(T,)`` bool, True = masked.

    Returns:
        np.ndarray: ``(T, ...)`` float32; the visible frames unchanged.
    """
    mask = np.asarray(mask, bool)
    visible = np.flatnonzero(~mask)
    if len(visible) == 0:
        return np.zeros(keypoint.shape, np.float32)
    frames = np.arange(len(mask))
    after = np.searchsorted(visible, frames)
    hi = visible[np.minimum(after, len(visible) - 1)]
    lo = visible[np.maximum(after - 1, 0)]
    span = np.maximum(hi - lo, 1)
    frac = np.clip((frames - lo) / span, 0.0, 1.0)
    frac = np.where(hi == lo, 1.0, frac).reshape(-1,
                                                 *[1] * (keypoint.ndim - 1))
    filled = keypoint[lo] * (1 - frac) + keypoint[hi] * frac
    return filled.astype(np.float32)


def imputed_motion(keypoint: np.ndarray, mask: np.ndarray,
                   intervals: Sequence[int]) -> np.ndarray:
    """The interpolation predictor: residuals of the filled-in sequence.

    Args:
        keypoint (np.ndarray): ``(T, V, 2)`` coordinates.
        mask (np.ndarray): ``(T,)`` bool, True = masked.
        intervals (Sequence[int]): ``k`` (one) or ``k_1..k_S``.

    Returns:
        np.ndarray: ``(T, V, 2 S)`` float32, ``x'_{i+k_s} - x'_i`` side by
        side as ``MotionAwareMask`` lays out its target, 0 where
        ``i + k_s >= T``.
    """
    filled = interpolate_masked(keypoint, mask)
    num_frames = len(filled)
    out = np.zeros((*filled.shape[:2], 2 * len(intervals)), np.float32)
    for s, k in enumerate(intervals):
        valid = max(num_frames - k, 0)
        out[:valid, :, 2 * s:2 * s + 2] = filled[k:] - filled[:valid]
    return out


def motion_pipeline(cfg: Config) -> List[Dict]:
    """The training pipeline of a pre-training config up to and with
    ``MotionAwareMask``, packed with MA's fields only.

    Raises:
        ValueError: the pipeline has no ``MotionAwareMask``, or its mask
            is per part (no frame-wise interpolation).
    """
    steps = [dict(t) for t in train_pipeline(cfg)]
    types = [t['type'] for t in steps]
    if 'MotionAwareMask' not in types:
        raise ValueError('the training pipeline has no MotionAwareMask: '
                         f'{types}')
    end = types.index('MotionAwareMask')
    if steps[end].get('per_part', False):
        raise ValueError('per-part masks (MotionAwareMask(per_part=True)) '
                         'are not supported: the baselines fill frames in')
    return steps[:end +
                 1] + [dict(type='PackSignInputs', algorithm_keys=MA_KEYS)]


def _fields(sample: Dict) -> Dict[str, Tensor]:
    """The packed MA fields of one sample as a batch of one."""
    fields = sample['data_samples']
    return {
        name: torch.as_tensor(np.asarray(fields.get(name)))[None]
        for name in MA_KEYS
    }


def baseline_losses(head: torch.nn.Module, sample: Dict,
                    intervals: Sequence[int]) -> Dict[str, float]:
    """Eq. 4 of the two rules on one packed sample.

    Args:
        head (nn.Module): A ``MotionPredictionHead`` (``target='motion'``)
            whose ``loss_module`` is the config's loss.
        sample (dict): ``PackSignInputs`` output of one clip (one person
            is scored: person 0, as ``MASA`` does).
        intervals (Sequence[int]): The target intervals.

    Returns:
        dict[str, float]: ``zero`` and ``interpolation``.
    """
    pose = sample['inputs'][0, 0].float()  # (T, V, C) of clip 0, person 0
    fields = _fields(sample)
    mask = fields['motion_mask'].bool()
    target, weight, mask = head.construct_target(pose[None], fields, mask)
    guess = imputed_motion(pose[..., :2].numpy(), mask[0].numpy(), intervals)
    scale = head.loss_module.coord_scale
    preds = dict(
        zero=torch.zeros_like(target, dtype=torch.float32),
        interpolation=torch.from_numpy(guess)[None] / scale)
    return {
        name: float(head.loss_module(pred, target, weight, mask))
        for name, pred in preds.items()
    }


def _target_intervals(pipeline: List[Dict]) -> Sequence[int]:
    """``target_intervals`` (or ``(interval,)``) of the mask transform."""
    step = next(t for t in pipeline if t['type'] == 'MotionAwareMask')
    return tuple(step.get('target_intervals') or (step.get('interval', 3), ))


def _motion_head_cfg(cfg: Config) -> Dict:
    """The config's ``mask_head``, which must predict motion.

    Raises:
        ValueError: no ``mask_head`` (SA only) or a joint target.
    """
    head_cfg = cfg.model.get('mask_head')
    if head_cfg is None or head_cfg.get('target', 'motion') != 'motion':
        raise ValueError('motion_baselines needs a MASA config whose '
                         "mask_head predicts motion (target='motion')")
    return head_cfg


def _rule_losses(head: torch.nn.Module, samples: Sequence[Dict],
                 pipeline: List[Dict]) -> Dict[str, float]:
    """:func:`baseline_losses` averaged over the samples with a masked
    frame."""
    intervals = _target_intervals(pipeline)
    rows = [
        baseline_losses(head, s, intervals) for s in samples
        if s['data_samples'].motion_mask.any()
    ]
    return {
        name: float(np.mean([r[name] for r in rows]))
        for name in ('zero', 'interpolation')
    }


def _clips(cfg: Config, ann_file: str,
           split: Optional[str]) -> Tuple[Dict, List[Dict], object]:
    """Check the config and build its clips.

    Returns:
        tuple: the ``mask_head`` config, :func:`motion_pipeline` and the
        ``ISLRDataset`` of ``ann_file``'s ``split`` with it.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    head_cfg = _motion_head_cfg(cfg)
    pipeline = motion_pipeline(cfg)
    return head_cfg, pipeline, clip_dataset(ann_file, split, pipeline)


def _ma_only_model(cfg: Config) -> torch.nn.Module:
    """``cfg.model`` without SA (``align_head=None``), initialised, in
    training mode (seed first)."""
    model = MODELS.build(dict(cfg.model, align_head=None))
    model.init_weights()
    model.train()
    return model


def motion_baselines(cfg: Config,
                     ann_file: str,
                     split: Optional[str] = None,
                     checkpoints: Sequence[str] = (),
                     num_clips: Optional[int] = None,
                     seed: int = 0) -> Dict[str, float]:
    """MA's loss on real clips: the two rules and the given checkpoints.

    Every clip is run once through the config's training pipeline up to
    the mask (:func:`motion_pipeline`, numpy seeded by ``seed``); every
    predictor is scored on the same clips and masks, the result is the
    mean over the clips with a masked frame of each clip's Eq. 4 (the
    ``batch_reduction='sample'`` of training). Models run in eval mode
    (no dropout).

    Args:
        cfg (Config): A MASA pre-training config with a motion head.
        ann_file (str): Annotation pickle of the clips.
        split (str, optional): Its split. Defaults to None (all clips).
        checkpoints (Sequence[str]): Pre-training checkpoints of ``cfg``'s
            model. Defaults to none.
        num_clips (int, optional): Score this many clips drawn at random
            (``seed``) instead of all. Defaults to None.
        seed (int): Seed of the draw and of the pipeline. Defaults to 0.

    Returns:
        dict[str, float]: ``clips``, ``masked_fraction`` (of the frames),
        ``zero``, ``interpolation`` and one entry per checkpoint path.

    Raises:
        ValueError: the config has no motion head (SA only) or predicts
            joints, or see :func:`motion_pipeline`.
    """
    head_cfg, pipeline, dataset = _clips(cfg, ann_file, split)
    rng = np.random.default_rng(seed)
    indices = (
        np.arange(len(dataset)) if num_clips is None else np.sort(
            rng.choice(len(dataset), min(num_clips, len(dataset)), False)))
    np.random.seed(seed)
    samples = [dataset[int(i)] for i in indices]
    samples = [s for s in samples if s['data_samples'].motion_mask.any()]
    frames = sum(len(s['data_samples'].motion_mask) for s in samples)
    masked = sum(int(s['data_samples'].motion_mask.sum()) for s in samples)
    result = dict(clips=len(samples), masked_fraction=masked / max(frames, 1))
    result.update(_rule_losses(MODELS.build(head_cfg), samples, pipeline))
    for checkpoint in checkpoints:
        result[checkpoint] = checkpoint_motion_loss(cfg, checkpoint, samples)
    return result


def checkpoint_motion_loss(cfg: Config, checkpoint: str,
                           samples: Sequence[Dict]) -> float:
    """Mean per-clip ``L_m`` of a pre-trained MASA on packed samples, on
    their masked frames (also for ``MASA(motion_frames='all')``).

    Args:
        cfg (Config): The config of the checkpoint's model.
        checkpoint (str): The checkpoint (weights must fit the model).
        samples (Sequence[dict]): ``PackSignInputs`` outputs with MA's
            fields (:func:`motion_pipeline`).

    Returns:
        float: The mean over the samples.
    """
    return _mean_clip_loss(
        load_recognizer(cfg, checkpoint)[0], samples, 'masked')


def fit_one_batch(cfg: Config,
                  ann_file: str,
                  split: Optional[str] = None,
                  batch_size: int = 32,
                  steps: int = 300,
                  lr: float = 1e-3,
                  log_every: int = 25,
                  seed: int = 0) -> Dict:
    """Can MA fit one fixed batch? (The "overfit one batch" check.)

    Builds ``cfg.model`` with MA only (``align_head=None``), draws
    ``batch_size`` clips at random (``seed``), runs them once through
    :func:`motion_pipeline` and trains on that batch, masks fixed, with a
    plain float32 AdamW (betas (0.9, 0.95), no weight decay, constant
    ``lr``), in training mode (dropout as configured).

    Args:
        cfg (Config): A MASA pre-training config with a motion head.
        ann_file (str): Annotation pickle of the clips.
        split (str, optional): Its split. Defaults to None (all clips).
        batch_size (int): Clips in the batch. Defaults to 32.
        steps (int): Optimisation steps. Defaults to 300.
        lr (float): Learning rate. Defaults to 1e-3.
        log_every (int): Record the loss every this many steps.
            Defaults to 25.
        seed (int): Seeds the draw, the pipeline and the model.
            Defaults to 0.

    Returns:
        dict: ``zero`` and ``interpolation`` (the rules on the batch, mean
        over its clips with a masked frame) and ``curve``: ``[step, L_m]``
        pairs from step 0 to ``steps``.

    Raises:
        ValueError: as :func:`motion_baselines`, or a model with
            ``motion_frames='all'``.
    """
    if cfg.model.get('motion_frames', 'masked') != 'masked':
        raise ValueError(
            "fit_one_batch trains and scores Eq. 4 on the masked frames; "
            "with motion_frames='all' use learning_curve (--learn)")
    _, pipeline, dataset = _clips(cfg, ann_file, split)
    set_random_seed(seed)
    picks = np.random.default_rng(seed).choice(
        len(dataset), min(batch_size, len(dataset)), False)
    samples = [dataset[int(i)] for i in picks]
    model = _ma_only_model(cfg)
    rules = _rule_losses(model.mask_head, samples, pipeline)
    data = model.data_preprocessor(pseudo_collate(samples), True)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.0)
    curve = []
    for step in range(steps + 1):
        loss = model.loss(data['inputs'], data['data_samples'])['loss_motion']
        if step % log_every == 0 or step == steps:
            curve.append([step, float(loss.detach())])
        if step == steps:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return dict(rules, curve=curve)


#: What :func:`learning_curve` hides from the encoder and supervises.
LEARNING_MODES = ('masked', 'no_mask')


def no_motion_every_frame(head: torch.nn.Module, sample: Dict) -> float:
    """Eq. 4 of the no-motion rule on every frame of one packed sample
    (the score of ``learning_curve(mode='no_mask')``).

    Args:
        head (nn.Module): A ``MotionPredictionHead`` (``target='motion'``).
        sample (dict): ``PackSignInputs`` output of one clip.

    Returns:
        float: The loss.
    """
    pose = sample['inputs'][0, 0].float()
    fields = _fields(sample)
    every = torch.ones(1, len(pose), dtype=torch.bool)
    target, weight, every = head.construct_target(pose[None], fields, every)
    return float(
        head.loss_module(torch.zeros_like(target), target, weight, every))


def _batch_loss(model: torch.nn.Module,
                samples: Sequence[Dict],
                mode: str,
                training: bool,
                score: bool = False) -> Tensor:
    """``L_m`` of a batch of packed samples.

    Args:
        model (nn.Module): A MASA with MA.
        samples (Sequence[dict]): ``PackSignInputs`` outputs.
        mode (str): ``'masked'`` (MA as configured) or ``'no_mask'``
            (every frame encoded and supervised).
        training (bool): Data preprocessor mode.
        score (bool): In ``'masked'`` mode, take the loss on the masked
            frames whatever the model's ``motion_frames``.

    Returns:
        Tensor: The loss.
    """
    data = model.data_preprocessor(pseudo_collate(list(samples)), training)
    x, padding = model.query_pose(data['inputs'], data['data_samples'])
    if mode == 'no_mask':
        mask = torch.zeros(x.shape[:2], dtype=torch.bool, device=x.device)
        frames = 'all'
    else:
        mask, frames = None, ('masked' if score else None)
    return model.motion_loss(x, padding, data['data_samples'], mask, frames)[0]


@torch.no_grad()
def _mean_clip_loss(model: torch.nn.Module, samples: Sequence[Dict],
                    mode: str) -> float:
    """Mean per-clip score of packed samples in eval mode, on the masked
    frames (every frame in ``'no_mask'`` mode); the model's train / eval
    state is restored."""
    training = model.training
    model.eval()
    loss = float(
        np.mean([
            float(_batch_loss(model, [s], mode, False, score=True))
            for s in samples
        ]))
    model.train(training)
    return loss


def learning_curve(cfg: Config,
                   ann_file: str,
                   split: Optional[str] = None,
                   steps: int = 1000,
                   eval_every: int = 250,
                   held_out: int = 400,
                   batch_size: int = 32,
                   lr: float = 1e-3,
                   warmup: int = 100,
                   mode: str = 'masked',
                   seed: int = 0,
                   on_row: Optional[Callable[[List], None]] = None) -> Dict:
    """Does MA learn to predict the motion of clips it has not seen?

    Holds ``held_out`` clips out (drawn with ``seed``, run once through
    :func:`motion_pipeline`: fixed masks), builds ``cfg.model`` with MA
    only (``align_head=None``) and trains it on random batches of the other
    clips (a fresh pipeline draw each time: new masks), float32 AdamW
    (betas (0.9, 0.95), weight decay 1e-4, lr warmed up linearly over
    ``warmup`` steps, then constant). Every ``eval_every`` steps the
    held-out clips are scored in eval mode.

    Modes (what the encoder sees, what the loss is taken on):

    - ``'masked'``: MA as configured (the visible frames; the masked ones,
      Eq. 4, or every frame with ``MASA(motion_frames='all')``). Scored
      on the masked frames, next to :func:`_rule_losses`.
    - ``'no_mask'``: every frame; every frame. Can the model compute
      ``x_{i+k} - x_i`` when nothing is hidden? Scored on every frame,
      next to :func:`no_motion_every_frame` (no interpolation rule).

    Args:
        cfg (Config): A MASA pre-training config with a motion head.
        ann_file (str): Annotation pickle of the clips.
        split (str, optional): Its split. Defaults to None (all clips).
        steps (int): Optimisation steps. Defaults to 1000.
        eval_every (int): Score the held-out clips every this many steps
            (and at the last). Defaults to 250.
        held_out (int): Clips held out. Defaults to 400.
        batch_size (int): Training clips per step. Defaults to 32.
        lr (float): Learning rate after the warm-up. Defaults to 1e-3.
        warmup (int): Warm-up steps. Defaults to 100.
        mode (str): One of :data:`LEARNING_MODES`. Defaults to 'masked'.
        seed (int): Seeds the draws, the pipeline and the model.
            Defaults to 0.
        on_row (callable, optional): Called with each curve row as it is
            made (progress of long runs). Defaults to None.

    Returns:
        dict: ``mode``, ``held_out`` (clips scored: those with a masked
        frame, every clip in ``'no_mask'`` mode), the rules on them
        (``zero``, and ``interpolation`` but in ``'no_mask'`` mode) and
        ``curve``: ``[step, mean training L_m since the last row (None at
        step 0), held-out L_m]`` rows.

    Raises:
        ValueError: an unknown mode, fewer clips than ``held_out`` plus
            one batch, or see :func:`motion_baselines`.
    """
    if mode not in LEARNING_MODES:
        raise ValueError(f'mode must be one of {LEARNING_MODES}, got {mode!r}')
    _, pipeline, dataset = _clips(cfg, ann_file, split)
    if len(dataset) < held_out + batch_size:
        raise ValueError(
            f'{ann_file} (split {split!r}) has {len(dataset)} clips, fewer '
            f'than held_out={held_out} + batch_size={batch_size}')
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(dataset))
    train = order[held_out:]
    np.random.seed(seed)
    held = [dataset[int(i)] for i in order[:held_out]]
    if mode != 'no_mask':
        held = [s for s in held if s['data_samples'].motion_mask.any()]
    set_random_seed(seed)
    model = _ma_only_model(cfg)
    if mode == 'no_mask':
        rules = dict(
            zero=float(
                np.mean(
                    [no_motion_every_frame(model.mask_head, s)
                     for s in held])))
    else:
        rules = _rule_losses(model.mask_head, held, pipeline)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=lr,
        betas=(0.9, 0.95),
        weight_decay=1e-4)
    curve, running = [], []
    for step in range(steps + 1):
        if step % eval_every == 0 or step == steps:
            curve.append([
                step,
                float(np.mean(running)) if running else None,
                _mean_clip_loss(model, held, mode)
            ])
            running = []
            if on_row is not None:
                on_row(curve[-1])
        if step == steps:
            break
        for group in optimizer.param_groups:
            group['lr'] = lr * min(1.0, (step + 1) / max(warmup, 1))
        picks = rng.choice(train, batch_size, replace=False)
        loss = _batch_loss(model, [dataset[int(i)] for i in picks], mode, True)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running.append(float(loss.detach()))
    return dict(rules, mode=mode, held_out=len(held), curve=curve)
