"""bfloat16 mixed precision on any device, the CPU included."""
import logging
from contextlib import contextmanager
from typing import Iterator

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper

from mmaction.registry import OPTIM_WRAPPERS

__all__ = ['BF16AutocastOptimWrapper', 'native_bf16']


def native_bf16(device_type: str) -> bool:
    """Whether bfloat16 matrix products run natively on ``device_type``.

    On the CPU that is oneDNN's own test (AVX512 / AVX512-BF16 / AMX); a CPU
    with AVX2 only runs them through a reference path, about 14 x slower
    than float32 (0.53 s against 7.4 s per corpus pre-training step of the
    small model, measured on a 2-core AVX2 machine). On CUDA it is
    ``torch.cuda.is_bf16_supported()``; other devices are assumed native.

    Args:
        device_type (str): ``'cpu'``, ``'cuda'``, ...

    Returns:
        bool: True when bfloat16 autocast is worth entering.
    """
    if device_type == 'cpu':
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    if device_type == 'cuda':
        return torch.cuda.is_bf16_supported()
    return True


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

    Where the device has no native bfloat16 (:func:`native_bf16`: e.g. a
    CPU with AVX2 only), autocast would make training many times slower, so
    the forward stays float32 and the log says so once; ``native_only=False``
    enters autocast anyway.

    Args:
        native_only (bool): Autocast only where bfloat16 is native.
            Defaults to True.
        **kwargs: The arguments of ``mmengine.optim.OptimWrapper``
            (``optimizer``, ``accumulative_counts``, ``clip_grad``).
    """

    def __init__(self, native_only: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.native_only = native_only
        self._warned = False

    def _autocast(self, device_type: str) -> bool:
        """Whether to enter autocast on ``device_type`` (warns once when
        it does not)."""
        if not self.native_only or native_bf16(device_type):
            return True
        if not self._warned:
            where = (f'cpu (torch CPU capability '
                     f'{torch.backends.cpu.get_cpu_capability()})'
                     if device_type == 'cpu' else device_type)
            print_log(
                f'BF16AutocastOptimWrapper: no native bfloat16 on this '
                f'{where}, the forward runs in float32; native_only=False '
                'forces bfloat16',
                logger='current',
                level=logging.WARNING)
            self._warned = True
        return False

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """Gradient-accumulation context + bfloat16 autocast.

        Args:
            model (nn.Module): The training model.
        """
        device_type = next(model.parameters()).device.type
        with super().optim_context(model), torch.autocast(
                device_type=device_type,
                dtype=torch.bfloat16,
                enabled=self._autocast(device_type)):
            yield
