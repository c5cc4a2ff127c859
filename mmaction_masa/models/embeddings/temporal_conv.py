"""Temporal convolutions over the frame-wise tokens (the released code's
embedding tail, a fine-tuning switch)."""
from typing import Sequence

import torch.nn as nn
from torch import Tensor

from mmaction.registry import MODELS

__all__ = ['TemporalConv']


@MODELS.register_module()
class TemporalConv(nn.Module):
    """Residual temporal convolution layers over a token sequence.

    The authors' released embedding ends in temporal convolutions (kernel 5,
    then 3 and 3) that mix neighbouring frames; the paper's embedding is
    frame-wise. Here each kernel ``k`` is one layer ``x + ReLU(BN(Conv1d_k
    (x)))`` (same width, zero padding ``k // 2``, so the length is kept;
    the residual form is ours). Used by :class:`MASABackbone` when every
    frame is encoded (fine-tuning): in pre-training the convolution would
    carry the pose of a masked frame into its neighbours' tokens (±4 frames
    with kernels 5, 3, 3), so MA could copy what it should predict.

    Args:
        embed_dims (int): Token width.
        kernels (Sequence[int]): Odd kernel sizes, one layer each.
            Defaults to (5, 3, 3).
    """

    def __init__(self, embed_dims: int,
                 kernels: Sequence[int] = (5, 3, 3)) -> None:
        super().__init__()
        if not kernels or any(k < 1 or k % 2 == 0 for k in kernels):
            raise ValueError(f'kernels must be odd sizes >= 1, got {kernels}')
        self.kernels = tuple(kernels)
        self.layers = nn.ModuleList(
            nn.Sequential(
                nn.Conv1d(embed_dims, embed_dims, k, padding=k //
                          2), nn.BatchNorm1d(embed_dims), nn.ReLU(
                              inplace=True)) for k in self.kernels)

    @property
    def receptive_field(self) -> int:
        """Frames one output token sees: ``1 + sum(k - 1)``."""
        return 1 + sum(k - 1 for k in self.kernels)

    def forward(self, tokens: Tensor) -> Tensor:
        """Convolve along time.

        Args:
            tokens (Tensor): ``(B, T, D)``.

        Returns:
            Tensor: ``(B, T, D)``.
        """
        x = tokens.transpose(1, 2)
        for layer in self.layers:
            x = x + layer(x)
        return x.transpose(1, 2)
