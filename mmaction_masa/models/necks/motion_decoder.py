"""MASA's target decoder (Eqs. 2-3), the neck of the MA module."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from mmaction.registry import MODELS
from ..utils import (add_position_embedding, init_position_embedding,
                     transformer_stack, xavier_init_)

__all__ = ['MotionDecoder']


@MODELS.register_module()
class MotionDecoder(BaseModule):
    """Target decoder of MASA's MA module (Eqs. 2-3), in the place of
    mmpretrain's ``MAEPretrainDecoder``.

    The encoder tokens of the visible frames and a learnable mask token for
    every other frame are put back in frame order, a decoder position
    embedding is added and a Transformer (self-attention blocks over all
    ``T`` frames) decodes them; :class:`MotionPredictionHead` then predicts
    each frame's target from the decoded tokens. Padding frames (clips of
    different lengths in a batch) are hidden from the attention.

    Values from the released code (paper silent): 2 blocks, 8 heads, FFN
    2048, dropout 0.1, post-LN, GELU, decoder width = encoder width. Ours:
    the learnable decoder position embedding and mask token (truncated
    normal, std 0.02) and ``max_frames``.

    Args:
        embed_dims (int): Token width (the encoder's). Defaults to 1536.
        decoder_dims (int, optional): Width of the decoder. When it differs
            from ``embed_dims`` the encoder tokens are first projected by a
            linear layer (an MAE-style light decoder). None = ``embed_dims``
            (no projection). Defaults to None.
        num_layers (int): Decoder blocks. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 8.
        feedforward_channels (int): FFN hidden width. Defaults to 2048.
        dropout (float): Dropout in the decoder blocks. Defaults to 0.1.
        max_frames (int): Length of the position embedding table.
            Defaults to 512.
        pos_embed_type (str): ``'learned'`` or ``'sincos'`` (fixed; ours,
            a switch), as :class:`MASABackbone`'s. Defaults to 'learned'.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 embed_dims: int = 1536,
                 decoder_dims: Optional[int] = None,
                 num_layers: int = 2,
                 num_heads: int = 8,
                 feedforward_channels: int = 2048,
                 dropout: float = 0.1,
                 max_frames: int = 512,
                 pos_embed_type: str = 'learned',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.max_frames = max_frames
        decoder_dims = decoder_dims or embed_dims
        self.out_channels = decoder_dims
        self.input_proj = (
            nn.Linear(embed_dims, decoder_dims)
            if decoder_dims != embed_dims else nn.Identity())
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dims))
        add_position_embedding(self, pos_embed_type, max_frames, decoder_dims)
        self.decoder = transformer_stack(decoder_dims, num_layers, num_heads,
                                         feedforward_channels, dropout)

    def init_weights(self) -> None:
        """Xavier-uniform weight matrices; truncated-normal mask token and
        position embedding."""
        super().init_weights()
        xavier_init_(self.input_proj)
        xavier_init_(self.decoder)
        trunc_normal_(self.mask_token, std=0.02)
        init_position_embedding(self.pos_embed)

    def forward(self,
                tokens: Tensor,
                padding_mask: Tensor,
                frame_index: Tensor,
                num_frames: int,
                frame_padding: Optional[Tensor] = None) -> Tensor:
        """Decode all frames from the encoded visible ones (Eqs. 2-3).

        Args:
            tokens (Tensor): ``(B, L, D)`` encoder tokens.
            padding_mask (Tensor): ``(B, L)`` bool, True = padding token.
            frame_index (Tensor): ``(B, L)`` original frame of each token.
            num_frames (int): ``T``, the (padded) clip length.
            frame_padding (Tensor, optional): ``(B, T)`` bool, True =
                padding frame, hidden from the decoder's attention.
                Defaults to None (no padding).

        Returns:
            Tensor: ``(B, T, decoder_dims)`` decoded tokens of every frame.
        """
        if num_frames > self.max_frames:
            raise ValueError(
                f'{num_frames} frames exceed max_frames={self.max_frames}')
        tokens = self.input_proj(tokens)
        b = tokens.shape[0]
        keep = ~padding_mask
        batch_index = torch.arange(b, device=tokens.device)[:, None]
        full = self.mask_token.to(tokens.dtype).expand(b, num_frames,
                                                       -1).clone()
        full[batch_index.expand_as(frame_index)[keep],
             frame_index[keep]] = tokens[keep]
        if frame_padding is not None and not bool(frame_padding.any()):
            frame_padding = None
        return self.decoder(
            full + self.pos_embed[:, :num_frames],
            src_key_padding_mask=frame_padding)
