"""MASA's momentum semantic alignment head: projector, key queue, InfoNCE."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ..utils import all_gather_batch, autocast_off, xavier_init_

__all__ = ['MomentumAlignmentHead', 'info_nce']


def info_nce(query: Tensor, key: Tensor, negatives: Tensor,
             temperature: float) -> Tensor:
    """InfoNCE of Eq. 8 with one positive key per query.

    ``L_s = -1/N sum_n log(exp(q_n.k_n / tau) /
    (exp(q_n.k_n / tau) + sum_j exp(q_n.n_j / tau)))``, computed in float32
    with autocast disabled (the logits are divided by a small tau, so a
    half-precision matmul would visibly change the loss).

    Args:
        query (Tensor): ``(N, C)`` queries.
        key (Tensor): ``(N, C)`` positive keys (no gradient flows to them).
        negatives (Tensor): ``(K, C)`` negative keys (the queue).
        temperature (float): tau.

    Returns:
        Tensor: float32 scalar, the mean over the batch.
    """
    with autocast_off(query.device):
        query = query.float()
        pos = (query * key.detach().float()).sum(1, keepdim=True)
        neg = query @ negatives.detach().float().t()
        logits = torch.cat([pos, neg], dim=1) / temperature
        labels = torch.zeros(
            len(logits), dtype=torch.long, device=logits.device)
        return F.cross_entropy(logits, labels)


@MODELS.register_module()
class MomentumAlignmentHead(BaseModule):
    """Query projector, FIFO memory bank and InfoNCE loss of MASA's SA module
    (Eqs. 6-8).

    The query ``q = normalize(Proj_q(AvgPool(F_enc)))`` (``MASA`` computes
    it with :class:`~mmaction_masa.models.selfsup.SequenceEncoder` over the
    backbone and :attr:`projector`) is scored against its positive key
    ``k+`` (from the momentum branch, an EMA copy of that encoder) and the
    ``queue_len`` keys of earlier steps; afterwards the batch's keys,
    gathered from every rank, are enqueued first-in-first-out.

    Paper values: ``queue_len=6144`` (K), ``temperature=0.07`` (tau).
    Released-code values: projector Linear-BN-ReLU-Linear with
    ``hid_channels=512`` and ``out_channels=128``; Xavier-uniform init. Ours:
    the projector's input is the average-pooled 1536-d encoder output (the
    paper's AvgPool; released code: attention pooling to 512-d) and the
    queue starts with random unit vectors (as MoCo).

    Args:
        in_channels (int): Width of the pooled feature. Defaults to 1536.
        hid_channels (int): Projector hidden width. Defaults to 512.
        out_channels (int): Key / query width. Defaults to 128.
        queue_len (int): Number of negative keys K. Defaults to 6144.
        temperature (float): InfoNCE temperature tau. Defaults to 0.07.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 1536,
                 hid_channels: int = 512,
                 out_channels: int = 128,
                 queue_len: int = 6144,
                 temperature: float = 0.07,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.queue_len = queue_len
        self.temperature = temperature
        self.projector = nn.Sequential(
            nn.Linear(in_channels, hid_channels), nn.BatchNorm1d(hid_channels),
            nn.ReLU(inplace=True), nn.Linear(hid_channels, out_channels))
        self.register_buffer(
            'queue', F.normalize(torch.randn(queue_len, out_channels), dim=1))
        self.register_buffer('queue_ptr', torch.zeros((), dtype=torch.long))

    def init_weights(self) -> None:
        """Xavier-uniform projector weights."""
        super().init_weights()
        xavier_init_(self.projector)

    def loss(self, query: Tensor, key: Tensor) -> Tensor:
        """InfoNCE of Eq. 8 against ``[k+, queue]``, then enqueue the keys.

        Args:
            query (Tensor): ``(N, out_channels)`` L2-normalised queries
                (``SequenceEncoder.embed`` with :attr:`projector`).
            key (Tensor): ``(N, out_channels)`` L2-normalised positive keys
                (no gradient).

        Returns:
            Tensor: float32 scalar ``L_s`` (mean over the batch).
        """
        # A copy: the queue is updated in place before backward.
        loss = info_nce(query, key, self.queue.clone(), self.temperature)
        self.enqueue(key)
        return loss

    @torch.no_grad()
    def enqueue(self, key: Tensor) -> None:
        """Append the keys of every rank (in rank order) to the queue,
        overwriting the oldest; ranks may hold different batch sizes.

        Args:
            key (Tensor): ``(N, out_channels)`` keys of this rank.
        """
        keys = all_gather_batch(key.detach().to(self.queue.dtype))[0]
        num = len(keys)
        if num > self.queue_len:
            # Only the newest queue_len keys survive; skip the others.
            self.queue_ptr.add_(num - self.queue_len)
            keys, num = keys[-self.queue_len:], self.queue_len
        index = (self.queue_ptr +
                 torch.arange(num, device=keys.device)) % self.queue_len
        self.queue[index] = keys
        self.queue_ptr.copy_((self.queue_ptr + num) % self.queue_len)
