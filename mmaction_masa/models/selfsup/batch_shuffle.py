"""Shuffling BatchNorm for MASA's momentum (key) branch, as in MoCo.

The key branch has BatchNorm layers in training mode. If each rank encoded
its own samples, every key would be normalised with statistics of exactly
the batch its query came from, which leaks information within the batch
and lets the InfoNCE objective be solved through the BN statistics
(MoCo, Sec. 3.3 "Shuffling BN"). :func:`batch_shuffle` gathers the key
inputs of all ranks, permutes them with one permutation drawn on rank 0 and
broadcast, and gives each rank a shard of the same size as its own batch;
:func:`batch_unshuffle` returns each rank's keys of its own samples, in
their original order.

On a single process the permutation only reorders the batch: BatchNorm
statistics over the whole batch do not depend on the order, so the keys
are the same as without shuffling; the code path is identical to the
distributed one.
"""
from typing import List, NamedTuple, Tuple

import torch
from mmengine.dist import broadcast, get_rank
from torch import Tensor

from ..utils import all_gather_batch

__all__ = ['ShuffleState', 'batch_shuffle', 'batch_unshuffle']


class ShuffleState(NamedTuple):
    """What :func:`batch_unshuffle` needs to undo :func:`batch_shuffle`.

    Attributes:
        order (Tensor): ``(N_all,)`` the permutation of the global batch
            (samples of all ranks in rank order): shuffled position ``j``
            holds global sample ``order[j]``.
        offset (int): Index of this rank's first sample in the global batch
            (and of its first shuffled position).
        size (int): This rank's batch size (and shard size).
    """
    order: Tensor
    offset: int
    size: int


def batch_shuffle(*tensors: Tensor) -> Tuple[List[Tensor], ShuffleState]:
    """Give this rank a random shard of the global batch.

    All tensors are permuted with the same permutation, so per-sample
    companions (e.g. the number of real frames of zero-padded sequences)
    stay attached to their sample. Dims after the first are zero-padded to
    the largest size over the ranks (:func:`all_gather_batch`).

    Args:
        *tensors (Tensor): ``(n, ...)`` this rank's per-sample tensors, all
            with the same batch size ``n``.

    Returns:
        tuple[list[Tensor], ShuffleState]: The shard of every tensor
        (``n`` samples each) and the state for :func:`batch_unshuffle`.
    """
    gathered = [all_gather_batch(tensor) for tensor in tensors]
    sizes = gathered[0][1]
    order = torch.randperm(sum(sizes), device=tensors[0].device)
    broadcast(order, src=0)
    rank = get_rank()
    state = ShuffleState(order, sum(sizes[:rank]), sizes[rank])
    shard = order[state.offset:state.offset + state.size]
    return [full[shard] for full, _ in gathered], state


def batch_unshuffle(shard_output: Tensor, state: ShuffleState) -> Tensor:
    """Per-sample outputs of this rank's own samples, in their order.

    Args:
        shard_output (Tensor): ``(n, ...)`` outputs for the shard that
            :func:`batch_shuffle` gave this rank.
        state (ShuffleState): Returned by that call.

    Returns:
        Tensor: ``(n, ...)`` outputs of the samples this rank passed to
        :func:`batch_shuffle`.
    """
    shuffled = all_gather_batch(shard_output)[0]
    position = torch.argsort(state.order)
    return shuffled[position[state.offset:state.offset + state.size]]
