"""EMA copy of MASA's query branch (the key branch of the SA module)."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import ExponentialMovingAverage

__all__ = ['MomentumEncoder']


class MomentumEncoder(ExponentialMovingAverage):
    """Exponential moving average of a module, updated with fused
    ``torch._foreach_*`` kernels.

    The paper's update ``theta_k <- mu * theta_k + (1 - mu) * theta_q``
    is mmengine's :class:`ExponentialMovingAverage` with
    ``momentum = 1 - mu`` (mmengine's convention, as in mmpretrain's MoCo
    v3). The first update copies the source (so the copy starts from the
    initialised / loaded query weights, whenever ``init_weights`` ran);
    buffers (BatchNorm statistics) are always copied, never averaged. The
    copy has ``requires_grad=False`` and is updated under ``no_grad``.

    Args:
        model (nn.Module): The module to average (deep-copied).
        momentum (float): ``1 - mu``. Defaults to 0.004 (mu = 0.996, the
            paper's value).
        interval (int): Update every ``interval`` calls. Defaults to 1.
        device (torch.device, optional): Device of the copy.
            Defaults to None.
    """

    def __init__(self,
                 model: nn.Module,
                 momentum: float = 0.004,
                 interval: int = 1,
                 device: Optional[torch.device] = None) -> None:
        super().__init__(
            model,
            momentum=momentum,
            interval=interval,
            device=device,
            update_buffers=False)

    @torch.no_grad()
    def update_parameters(self, model: nn.Module) -> None:
        """Average ``model``'s parameters into the copy, copy its buffers.

        Args:
            model (nn.Module): The source module (same structure as the
                averaged one).
        """
        avg_params = list(self.module.parameters())
        src_params = [p.detach() for p in model.parameters()]
        if len(avg_params) != len(src_params):
            raise ValueError(f'the source has {len(src_params)} parameters, '
                             f'the average {len(avg_params)}')
        steps = int(self.steps)
        if steps == 0:
            torch._foreach_copy_(avg_params, src_params)
        elif steps % self.interval == 0:
            torch._foreach_lerp_(avg_params, src_params, self.momentum)
        avg_buffers = list(self.module.buffers())
        if avg_buffers:
            torch._foreach_copy_(avg_buffers,
                                 [b.detach() for b in model.buffers()])
        self.steps += 1
