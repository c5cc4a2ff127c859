"""Refuse a checkpoint whose weights do not fit the model.

MMEngine loads checkpoints non-strictly and only logs missing keys, so a
pre-training checkpoint (no classifier) or a 4-class head under a 10-class
config would predict with randomly initialised weights.
:func:`check_checkpoint_fits` compares the checkpoint's ``state_dict`` with
the model's and raises :class:`CheckpointMismatchError` listing the missing,
unexpected and shape-mismatched keys.
"""
import re
from typing import Dict, List, Mapping

import torch
import torch.nn as nn

__all__ = [
    'CheckpointMismatchError', 'checkpoint_state_dict', 'checkpoint_mismatch',
    'check_checkpoint_fits'
]

#: Keys listed per kind in the error message.
_SHOWN = 8


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model built from the config."""


def checkpoint_state_dict(checkpoint: Mapping) -> Dict[str, torch.Tensor]:
    """The tensors of a checkpoint (its ``state_dict`` entry, else itself),
    without DDP's ``module.`` prefix.

    Args:
        checkpoint (Mapping): A loaded checkpoint or bare state dict.

    Returns:
        dict: key -> tensor.
    """
    state = checkpoint.get('state_dict', checkpoint)
    return {
        re.sub(r'^module\.', '', key): value
        for key, value in state.items()
    }


def checkpoint_mismatch(model: nn.Module,
                        state: Mapping[str, torch.Tensor]) -> Dict[str, List]:
    """Keys of ``model`` and ``state`` that do not correspond.

    Args:
        model (nn.Module): The model.
        state (Mapping): A state dict (see :func:`checkpoint_state_dict`).

    Returns:
        dict: ``missing`` (model keys absent from ``state``), ``unexpected``
        (``state`` keys the model lacks) and ``mismatched`` (``(key,
        checkpoint shape, model shape)``).
    """
    expected = model.state_dict()
    mismatched = [(key, tuple(state[key].shape), tuple(value.shape))
                  for key, value in expected.items()
                  if key in state and hasattr(state[key], 'shape')
                  and tuple(state[key].shape) != tuple(value.shape)]
    return dict(
        missing=[k for k in expected if k not in state],
        unexpected=[k for k in state if k not in expected],
        mismatched=mismatched)


def _listing(kind: str, items: List) -> str:
    """``'N kind: a, b, ...'`` (at most ``_SHOWN`` items); mismatched items
    are ``(key, checkpoint shape, model shape)``."""
    shown = ', '.join(f'{item[0]} (checkpoint {item[1]}, model {item[2]})'
                      if isinstance(item, tuple) else item
                      for item in items[:_SHOWN])
    more = f', ... ({len(items) - _SHOWN} more)' if len(items) > _SHOWN else ''
    return f'{len(items)} {kind}: {shown}{more}'


def check_checkpoint_fits(model: nn.Module, checkpoint: Mapping,
                          source: str) -> None:
    """Raise unless every weight of ``model`` is in ``checkpoint`` with the
    model's shape and the checkpoint holds nothing else.

    Args:
        model (nn.Module): The model built from the config.
        checkpoint (Mapping): The loaded checkpoint.
        source (str): The checkpoint file (for the message).

    Raises:
        CheckpointMismatchError: keys are missing, unexpected or of another
            shape; the message lists them.
    """
    found = checkpoint_mismatch(model, checkpoint_state_dict(checkpoint))
    problems = [
        _listing(kind.replace('_', ' ') + ' keys', found[kind])
        for kind in ('missing', 'mismatched', 'unexpected') if found[kind]
    ]
    if problems:
        raise CheckpointMismatchError(
            f'{source}: the checkpoint does not fit the model of the config '
            f'({type(model).__name__}): ' + '; '.join(problems) +
            '. Is it a checkpoint of another config (e.g. a pre-training '
            'run, or a head with another number of classes)?')
