"""Change a config's training length with its schedule scaled alike.

``--cfg-options train_cfg.max_epochs=N`` alone leaves every epoch-based
scheduler at the config's own epochs: a linear decay that should end at the
last epoch then reaches zero early (or never). :func:`epoch_options` returns
the ``--cfg-options`` that also move the schedulers' ``begin`` / ``end`` /
``T_max`` / ``milestones`` and the ``ramp_epochs`` of ramp hooks (e.g.
``AlignWeightRampHook``) in proportion.
"""
from typing import Dict, List, Union

from mmengine.config import Config

__all__ = ['epoch_options']


def _scaler(old: int, new: int):
    """``epoch -> round(epoch * new / old)``, at least 1 for positive
    epochs, exact at ``old``."""

    def scale(epoch: int) -> int:
        if epoch >= old:
            return new + (epoch - old)
        return max(1, round(epoch * new / old)) if epoch > 0 else 0

    return scale


def _scheduler_options(prefix: str, scheduler: Dict, scale) -> List[str]:
    """Options of one epoch-based scheduler (``begin < end`` kept)."""
    if not scheduler.get('by_epoch', True):
        return []
    options = []
    begin = scale(scheduler.get('begin', 0))
    if 'begin' in scheduler:
        options.append(f'{prefix}.begin={begin}')
    if 'end' in scheduler:
        end = max(scale(scheduler['end']), begin + 1)
        options.append(f'{prefix}.end={end}')
    if 'T_max' in scheduler:
        options.append(f'{prefix}.T_max={max(1, scale(scheduler["T_max"]))}')
    if 'milestones' in scheduler:
        milestones = [scale(m) for m in scheduler['milestones']]
        options.append(f'{prefix}.milestones={milestones}'.replace(' ', ''))
    return options


def epoch_options(config: Union[str, Config], max_epochs: int) -> List[str]:
    """``--cfg-options`` that train ``config`` for ``max_epochs`` epochs.

    Epoch-based schedulers are rescaled by ``max_epochs / old`` (``old`` =
    the config's ``train_cfg.max_epochs``): ``begin``, ``end`` (kept above
    ``begin``), ``T_max`` and ``milestones``; epochs at or past ``old``
    shift by the difference, so ``end=old`` becomes ``end=max_epochs``.
    Custom hooks with ``ramp_epochs`` are rescaled the same way;
    iteration-based schedulers are left alone.

    Args:
        config (str or Config): The config file or a loaded config.
        max_epochs (int): The new number of training epochs.

    Returns:
        list[str]: ``key=value`` strings for ``--cfg-options``.

    Raises:
        ValueError: If ``max_epochs < 1`` or the config has no epoch-based
            ``train_cfg.max_epochs``.
    """
    if max_epochs < 1:
        raise ValueError(f'max_epochs must be >= 1, got {max_epochs}')
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    old = (cfg.get('train_cfg') or {}).get('max_epochs')
    if not old:
        raise ValueError(f'{getattr(cfg, "filename", config)} has no '
                         'train_cfg.max_epochs to rescale')
    scale = _scaler(old, max_epochs)
    options = [f'train_cfg.max_epochs={max_epochs}']
    schedulers = cfg.get('param_scheduler') or []
    if isinstance(schedulers, dict):
        options += _scheduler_options('param_scheduler', schedulers, scale)
    else:
        for i, scheduler in enumerate(schedulers):
            options += _scheduler_options(f'param_scheduler.{i}', scheduler,
                                          scale)
    for i, hook in enumerate(cfg.get('custom_hooks') or []):
        if 'ramp_epochs' in hook:
            options.append(
                f'custom_hooks.{i}.ramp_epochs={scale(hook["ramp_epochs"])}')
    return options
