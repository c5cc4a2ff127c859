"""The SA module's sequence encoder: pooled, projected, unit-norm features."""
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from ..utils import masked_mean

__all__ = ['SequenceEncoder']


class SequenceEncoder(nn.Module):
    """``normalize(Proj(AvgPool(F_enc)))`` of MASA's SA module (Eqs. 6-7).

    Wraps the backbone and the projector of one branch so the branch is one
    callable, like mmpretrain MoCo v3's ``nn.Sequential(backbone, neck)``:
    ``MASA`` keeps an EMA copy of the query branch's
    ``SequenceEncoder(backbone, align_head.projector)`` as its key encoder
    and embeds its queries with :meth:`embed` (the query's tokens are also
    decoded by the MA module, so they are encoded once). The submodules keep
    the names ``backbone`` and ``projector`` in the state dict.

    Args:
        backbone (nn.Module): A ``MASABackbone`` (with ``forward_tokens``).
        projector (nn.Module): ``(N, D) -> (N, C)`` projection.
    """

    def __init__(self, backbone: nn.Module, projector: nn.Module) -> None:
        super().__init__()
        self.backbone = backbone
        self.projector = projector

    def embed(self, tokens: Tensor, padding_mask: Tensor) -> Tensor:
        """Pool encoder tokens over time, project and L2-normalise.

        Args:
            tokens (Tensor): ``(N, L, D)`` encoder tokens.
            padding_mask (Tensor): ``(N, L)`` bool, True = padding token.

        Returns:
            Tensor: ``(N, C)`` float32 unit vectors.
        """
        # float32 before normalising: under bfloat16 autocast the rounding
        # of unit vectors would show in logits divided by a small tau.
        return F.normalize(
            self.projector(masked_mean(tokens, padding_mask)).float(), dim=1)

    def forward(self,
                pose: Tensor,
                visible: Optional[Tensor] = None,
                masked: Optional[Tensor] = None) -> Tensor:
        """Encode poses into unit vectors.

        Args:
            pose (Tensor): ``(N, T, V, C)`` poses.
            visible (Tensor, optional): ``(N, T)`` bool, the frames encoded
                (see ``MASABackbone.forward_tokens``). None = every frame.
            masked (Tensor, optional): ``(N, T)`` bool, frames entering as
                the backbone's mask token. Defaults to None.

        Returns:
            Tensor: ``(N, C)`` float32 unit vectors.
        """
        tokens, padding_mask, _ = self.backbone.forward_tokens(
            pose, visible=visible, masked=masked)
        return self.embed(tokens, padding_mask)
