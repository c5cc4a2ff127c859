"""End-to-end training throughput of a config: data loading + train step.

:func:`measure_train_throughput` builds the config's train dataloader (its
real sampler, batch sampler and pipeline), model and optimizer wrapper, and
times ``model.train_step`` on the loader's batches, as the training loop
runs them (logging and checkpoint hooks aside): clips/s, seconds per step,
the share of the time spent waiting for data, and the implied epoch time.
``benchmarks/train_throughput.py`` prints it for a config.
"""
import time
from typing import Dict, List, Optional, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, set_random_seed

from mmaction.registry import MODELS

__all__ = ['measure_train_throughput', 'top_ops']


def _training_parts(cfg: Config, seed: int) -> Tuple:
    """The config's seeded train dataloader, model (train mode) and
    optimizer wrapper."""
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    set_random_seed(seed)
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=seed)
    model = MODELS.build(cfg.model)
    model.train()
    return loader, model, build_optim_wrapper(model, cfg.optim_wrapper)


def _steps(loader_iter,
           model,
           optim_wrapper,
           count: int,
           record: Optional[List] = None) -> None:
    """Run ``count`` train steps; append ``(clips, data_s, step_s)``."""
    for _ in range(count):
        start = time.perf_counter()
        batch = next(loader_iter)
        loaded = time.perf_counter()
        model.train_step(batch, optim_wrapper)
        done = time.perf_counter()
        if record is not None:
            record.append(
                (len(batch['inputs']), loaded - start, done - loaded))


def measure_train_throughput(cfg: Config,
                             iters: int = 20,
                             warmup: int = 3,
                             seed: int = 0) -> Dict[str, float]:
    """Time ``iters`` training iterations of ``cfg`` after ``warmup``.

    Args:
        cfg (Config): A training config (``train_dataloader``, ``model``,
            ``optim_wrapper``).
        iters (int): Timed iterations. Defaults to 20.
        warmup (int): Untimed iterations first. Defaults to 3.
        seed (int): Random seed of the model and the sampler.
            Defaults to 0.

    Returns:
        dict[str, float]: ``clips_per_s``, ``s_per_step``, ``data_share``
        (fraction of the time spent loading batches), ``epoch_min`` (the
        loader's batches per epoch at this rate) and ``batches_per_epoch``.
    """
    if iters < 1 or warmup < 0:
        raise ValueError(f'iters must be >= 1 and warmup >= 0, got {iters}'
                         f' and {warmup}')
    loader, model, optim_wrapper = _training_parts(cfg, seed)
    if len(loader) < iters + warmup:
        raise ValueError(f'the loader has {len(loader)} batches, fewer than '
                         f'warmup + iters = {warmup + iters}')
    loader_iter = iter(loader)
    _steps(loader_iter, model, optim_wrapper, warmup)
    record: List = []
    _steps(loader_iter, model, optim_wrapper, iters, record)
    clips, data_s, step_s = map(np.sum, zip(*record))
    total = data_s + step_s
    return dict(
        clips_per_s=float(clips / total),
        s_per_step=float(total / iters),
        data_share=float(data_s / total),
        epoch_min=float(len(loader) * total / iters / 60),
        batches_per_epoch=float(len(loader)))


def top_ops(cfg: Config, rows: int = 15, seed: int = 0) -> str:
    """The ``rows`` most expensive operators (self CPU time) of one train
    step, as a ``torch.profiler`` table, after two warm-up steps.

    Args:
        cfg (Config): A training config.
        rows (int): Rows of the table. Defaults to 15.
        seed (int): Random seed. Defaults to 0.

    Returns:
        str: The table.
    """
    from torch.profiler import ProfilerActivity, profile
    loader, model, optim_wrapper = _training_parts(cfg, seed)
    loader_iter = iter(loader)
    _steps(loader_iter, model, optim_wrapper, 2)
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        _steps(loader_iter, model, optim_wrapper, 1)
    return p.key_averages(group_by_input_shape=True).table(
        sort_by='self_cpu_time_total', row_limit=rows)
