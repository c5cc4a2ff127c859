"""How much each pre-training objective moves the encoder.

Eq. 9 adds ``lambda_s L_s`` to ``L_m``; whether SA does anything depends on
the size of its gradient next to MA's, which depends on the unit of the
motion loss (see :class:`~mmaction_masa.models.MotionPredictionLoss`).
:func:`encoder_grad_ratio` measures
``||d(lambda_s L_s)/d theta_enc|| / ||d L_m/d theta_enc||`` on one batch, the
figure printed by ``tools/analysis/loss_balance.py`` and the benchmark.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import set_random_seed
from torch import Tensor

from mmaction.registry import MODELS
from .mask_statistics import clip_dataset, train_pipeline

__all__ = ['encoder_grad_ratio', 'fill_queue', 'measure_loss_balance']


def _grad_norm(loss: Tensor, params: List[nn.Parameter]) -> float:
    """L2 norm of ``d loss / d params`` (the graph is kept)."""
    grads = torch.autograd.grad(
        loss, params, retain_graph=True, allow_unused=True)
    return float(
        torch.sqrt(
            sum(g.float().square().sum() for g in grads if g is not None)))


@torch.no_grad()
def fill_queue(model: nn.Module, batches: Sequence[Dict]) -> int:
    """Fill MASA's key queue with keys of real clips.

    Every batch's second views go through the momentum branch as in a
    training step (:meth:`MASA.momentum_keys`: the first call copies the
    query branch, later ones average identical weights) and are enqueued
    once; the keys are then repeated in order until ``queue_len`` keys are
    in, so a queue longer than the data holds some clips' keys more than
    once.

    Args:
        model (nn.Module): A :class:`~mmaction_masa.models.MASA` with an
            ``align_head``.
        batches (Sequence[dict]): Data batches (``inputs`` /
            ``data_samples`` after the data preprocessor), non-empty.

    Returns:
        int: The number of keys enqueued (``queue_len``).
    """
    if not batches:
        raise ValueError('fill_queue needs at least one batch')
    head = model.align_head
    keys = torch.cat([
        model.momentum_keys(
            batch['data_samples'],
            *model.query_pose(batch['inputs'], batch['data_samples']))
        for batch in batches
    ])
    repeats = -(-head.queue_len // len(keys))
    head.enqueue(keys.repeat(repeats, 1)[:head.queue_len])
    return head.queue_len


def encoder_grad_ratio(model: nn.Module,
                       batch: Dict,
                       align_weight: float = 0.05) -> Dict[str, float]:
    """Gradient norms of both objectives on the Transformer encoder.

    One training-mode forward of ``batch`` (after the data preprocessor)
    with ``align_weight = lambda_s``; the two loss terms are differentiated
    separately with respect to ``model.backbone.encoder``'s parameters. The
    forward enqueues the batch's keys and steps the EMA, as a training step
    does.

    Args:
        model (nn.Module): A :class:`~mmaction_masa.models.MASA` with both
            heads.
        batch (dict): ``inputs`` and ``data_samples``.
        align_weight (float): ``lambda_s``. Defaults to 0.05 (the paper's
            final value).

    Returns:
        dict[str, float]: ``loss_motion``, ``loss_align`` (= lambda_s L_s),
        ``grad_motion``, ``grad_align`` and ``ratio`` = grad_align /
        grad_motion.
    """
    if model.mask_head is None or model.align_head is None:
        raise ValueError('encoder_grad_ratio needs both MA and SA heads')
    params = [
        p for p in model.backbone.encoder.parameters() if p.requires_grad
    ]
    previous = model.align_weight
    model.align_weight = align_weight
    model.train()
    try:
        losses = model(batch['inputs'], batch['data_samples'], mode='loss')
    finally:
        model.align_weight = previous
    grad_motion = _grad_norm(losses['loss_motion'], params)
    grad_align = _grad_norm(losses['loss_align'], params)
    return dict(
        loss_motion=float(losses['loss_motion']),
        loss_align=float(losses['loss_align']),
        grad_motion=grad_motion,
        grad_align=grad_align,
        ratio=grad_align / max(grad_motion, 1e-30))


def measure_loss_balance(cfg: Config,
                         ann_file: str,
                         split: Optional[str] = None,
                         batch_size: int = 16,
                         num_batches: int = 4,
                         queue_batches: int = 8,
                         align_weight: float = 0.05,
                         seed: int = 0) -> Dict[str, float]:
    """:func:`encoder_grad_ratio` of a pre-training config at
    initialisation, on real clips.

    Builds ``cfg.model`` (initialised as in training) and the training
    pipeline of ``cfg.train_dataloader`` (of its first source when it is a
    ``ConcatDataset``) on ``ann_file``; fills the queue with the keys of
    the first ``queue_batches`` batches (:func:`fill_queue`), then measures
    the next ``num_batches`` batches (the clips are cycled if the file is
    short).

    Args:
        cfg (Config): A MASA pre-training config.
        ann_file (str): Annotation pickle of the clips.
        split (str, optional): Its split. Defaults to None (all clips).
        batch_size (int): Clips per batch. Defaults to 16.
        num_batches (int): Measured batches. Defaults to 4.
        queue_batches (int): Batches whose keys fill the queue.
            Defaults to 8.
        align_weight (float): ``lambda_s``. Defaults to 0.05.
        seed (int): Seeds torch, numpy and python. Defaults to 0.

    Returns:
        dict[str, float]: The means over the measured batches of
        :func:`encoder_grad_ratio`'s figures, plus ``ratio_min`` and
        ``ratio_max``.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    set_random_seed(seed)
    dataset = clip_dataset(ann_file, split, train_pipeline(cfg))
    model = MODELS.build(cfg.model)
    model.init_weights()
    batches = [
        model.data_preprocessor(
            pseudo_collate([
                dataset[(i * batch_size + j) % len(dataset)]
                for j in range(batch_size)
            ]),
            training=True) for i in range(queue_batches + num_batches)
    ]
    fill_queue(model, batches[:queue_batches])
    rows = [
        encoder_grad_ratio(model, batch, align_weight)
        for batch in batches[queue_batches:]
    ]
    result = {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}
    result['ratio_min'] = min(r['ratio'] for r in rows)
    result['ratio_max'] = max(r['ratio'] for r in rows)
    return result
