"""bfloat16 mixed precision on any device, the CPU included."""
from contextlib import contextmanager
from typing import Iterator

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper

from mmaction.registry import OPTIM_WRAPPERS

__all__ = ['BF16AutocastOptimWrapper']


@OPTIM_WRAPPERS.register_module()
class BF16AutocastOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward runs under bfloat16 autocast (ours).

    MMEngine's ``AmpOptimWrapper`` refuses CPU-only machines. This wrapper
    enters ``torch.autocast(device_type, dtype=torch.bfloat16)`` around the
    data preprocessor and the forward (``optim_context``, as
    ``AmpOptimWrapper`` does), on the device type of the model's
    parameters: matrix products run in bfloat16 (fast on CPUs with
    AVX512-BF16 / AMX), parameters, gradients and the optimizer state stay
    float32, and bfloat16's float32 exponent range needs no loss scaling.
    MASA's losses are computed in float32 with autocast off
    (:func:`~mmaction_masa.models.utils.autocast_off`). Use it as
    ``optim_wrapper = dict(type='BF16AutocastOptimWrapper', optimizer=...)``;
    its checkpoint state is the plain ``OptimWrapper``'s.

    Args:
        **kwargs: The arguments of ``mmengine.optim.OptimWrapper``
            (``optimizer``, ``accumulative_counts``, ``clip_grad``).
    """

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """Gradient-accumulation context + bfloat16 autocast.

        Args:
            model (nn.Module): The training model.
        """
        device_type = next(model.parameters()).device.type
        with super().optim_context(model), torch.autocast(
                device_type=device_type, dtype=torch.bfloat16):
            yield
