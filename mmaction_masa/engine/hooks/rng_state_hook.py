"""Random-number states in checkpoints, for an exact ``--resume``.

MMEngine's checkpoints hold weights, optimizer, schedulers and the message
hub, but not the random-number generators: a resumed run starts its next
epoch from the seed's initial states and draws other augmentations and
dropout masks than the uninterrupted run. :class:`RNGStateHook` captures
Python's ``random``, numpy's global and torch's CPU (and every CUDA device's)
generator states at the end of each training epoch, before validation draws
from them, on every rank, stores the last capture in every checkpoint
(``rng_states['ranks'][rank]``), and
restores it at the start of the next training epoch, in the uninterrupted
run (which undoes validation's draws) as in a resumed one.

The sampler position needs no state for epoch-based loops: MMEngine's
``DefaultSampler`` shuffles with ``seed + epoch`` and a checkpoint saved at
an epoch end resumes at the next epoch's first batch. Not covered: a
checkpoint saved in the middle of an epoch (``by_epoch=False`` intervals in
an epoch-based loop: MMEngine restarts that epoch) and workers with
``persistent_workers=True`` (their generators live in the worker processes).
"""
import logging
import random
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop

from mmaction.registry import HOOKS

__all__ = [
    'RNGStateHook', 'RNG_KEY', 'capture_rng_states', 'restore_rng_states'
]

#: Checkpoint key of the states.
RNG_KEY = 'rng_states'


def capture_rng_states() -> Dict:
    """The states of Python's, numpy's and torch's global generators.

    Returns:
        dict: ``python``, ``numpy``, ``torch`` and, with CUDA, ``cuda`` (one
        state per device).
    """
    states = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: Dict) -> None:
    """Set the global generators to ``states`` (from
    :func:`capture_rng_states`).

    Args:
        states (dict): The states.
    """
    version, internal, gauss = states['python']
    random.setstate((version, tuple(internal), gauss))
    np.random.set_state(tuple(states['numpy']))
    torch.set_rng_state(states['torch'].cpu())
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


def _warn_mid_epoch(runner, checkpoint: dict) -> None:
    """Warn when an epoch-based run resumes from a checkpoint saved inside
    an epoch: MMEngine restarts that epoch from its first batch."""
    loop = runner.train_loop
    if not isinstance(loop, EpochBasedTrainLoop):
        return
    per_epoch = len(loop.dataloader)
    done = checkpoint.get('meta', {}).get('iter', 0)
    if per_epoch and done % per_epoch:
        print_log(
            f'RNGStateHook: the checkpoint was saved at iteration {done}, '
            f'inside epoch {done // per_epoch + 1} ({per_epoch} iterations '
            'each); MMEngine restarts that epoch from its first batch, so '
            'the resumed run is not exact (save checkpoints by epoch for '
            'an exact resume)',
            logger='current',
            level=logging.WARNING)


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Save the generators' states in checkpoints and restore them.

    Its priority is above ``CheckpointHook``'s, so the states captured at
    an epoch's end are in that epoch's checkpoint.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self) -> None:
        self._states: Optional[Dict] = None
        self._rank_states: Optional[List[Dict]] = None

    def after_train_epoch(self, runner) -> None:
        """Capture the states the next epoch starts from (every rank's: the
        checkpoint is written by rank 0 only)."""
        self._states = capture_rng_states()
        self._rank_states = (
            all_gather_object(self._states)
            if get_world_size() > 1 else [self._states])

    def before_train_epoch(self, runner) -> None:
        """Start the epoch from the captured (or resumed) states."""
        if self._states is not None:
            restore_rng_states(self._states)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the captured states (one per rank) in the checkpoint."""
        if self._rank_states is not None:
            checkpoint[RNG_KEY] = dict(ranks=self._rank_states)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """On ``--resume``, take this rank's states from the checkpoint
        (restored at the next epoch); a ``load_from`` initialisation keeps
        this run's. Another world size cannot be continued exactly: the
        states are then dropped with a warning."""
        saved = checkpoint.get(RNG_KEY)
        if not getattr(runner, '_resume', False):
            return
        _warn_mid_epoch(runner, checkpoint)
        if saved is None:
            return
        ranks = saved['ranks']
        if len(ranks) != get_world_size():
            print_log(
                f'RNGStateHook: the checkpoint holds RNG states of '
                f'{len(ranks)} rank(s), this run has {get_world_size()}; '
                'the resumed run will not repeat the original exactly',
                logger='current',
                level=logging.WARNING)
            return
        self._states = ranks[get_rank()]
