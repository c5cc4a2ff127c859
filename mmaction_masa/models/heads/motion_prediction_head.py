"""MASA's target decoder and motion prediction loss (Eqs. 2-4)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from mmaction.registry import MODELS
from ..utils import xavier_init_

__all__ = ['MotionPredictionHead']


@MODELS.register_module()
class MotionPredictionHead(BaseModule):
    """Target decoder + motion prediction MLP of MASA (Eqs. 2-4).

    The encoder tokens of the visible frames and a learnable mask token for
    every other frame are put back in frame order, a decoder position
    embedding is added, a Transformer (self-attention blocks over all ``T``
    frames) decodes them and an MLP predicts each frame's ``num_joints x 2``
    motion residual ``x_{i+k} - x_i`` (``target='motion'``, the paper) or
    its static joints ``x_i`` (``target='joint'``, Table VI ablation). Only
    the masked frames are supervised by ``loss`` (Eq. 4,
    :class:`MotionPredictionLoss`, built from its config as in mmpretrain's
    ``MAEPretrainHead``). Padding frames (clips of different lengths in a
    batch) are hidden from the decoder's attention and never supervised.

    Values from the released code (paper silent): 2 blocks, 8 heads, FFN
    2048, dropout 0.1, post-LN, GELU, decoder width = encoder width. Ours:
    the single MLP ``embed_dims -> hidden_channels -> GELU -> num_joints*2``
    (released code: per-part MLPs 512->256->42/14 on per-part tokens), the
    learnable decoder position embedding and mask token (truncated normal,
    std 0.02) and ``max_frames``.

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
        hidden_channels (int): Hidden width of the prediction MLP.
            Defaults to 512.
        num_joints (int): Joints per frame. Defaults to 49.
        target (str): ``'motion'`` or ``'joint'``. Defaults to 'motion'.
        max_frames (int): Length of the position embedding table.
            Defaults to 512.
        loss (dict): Config of the loss. Defaults to
            ``dict(type='MotionPredictionLoss')``.
        num_scales (int): Motion targets per joint coordinate: 1, or S for
            the multi-scale target of ``MotionAwareMask(target_intervals=
            ...)`` (ours). Defaults to 1.
        output_act (str, optional): ``'relu'`` puts a ReLU on the
            predictions (the released code's switch, which can then only
            predict non-negative residuals). Defaults to None.
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
                 hidden_channels: int = 512,
                 num_joints: int = 49,
                 target: str = 'motion',
                 max_frames: int = 512,
                 loss: Dict = dict(type='MotionPredictionLoss'),
                 num_scales: int = 1,
                 output_act: Optional[str] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if target not in ('motion', 'joint'):
            raise ValueError(
                f"target must be 'motion' or 'joint', got {target!r}")
        if output_act not in (None, 'relu'):
            raise ValueError(
                f"output_act must be None or 'relu', got {output_act!r}")
        self.target = target
        self.loss_module = MODELS.build(loss)
        self.num_joints = num_joints
        self.num_scales = num_scales
        self.max_frames = max_frames
        decoder_dims = decoder_dims or embed_dims
        self.input_proj = (
            nn.Linear(embed_dims, decoder_dims)
            if decoder_dims != embed_dims else nn.Identity())
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dims))
        self.pos_embed = nn.Parameter(
            torch.zeros(1, max_frames, decoder_dims))
        layer = nn.TransformerEncoderLayer(
            d_model=decoder_dims,
            nhead=num_heads,
            dim_feedforward=feedforward_channels,
            dropout=dropout,
            activation='gelu',
            batch_first=True,
            norm_first=False)
        self.decoder = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False)
        self.predictor = nn.Sequential(
            nn.Linear(decoder_dims, hidden_channels), nn.GELU(),
            nn.Linear(hidden_channels, num_joints * 2 * num_scales),
            *([nn.ReLU()] if output_act == 'relu' else []))

    def init_weights(self) -> None:
        """Xavier-uniform weight matrices; truncated-normal mask token and
        position embedding."""
        super().init_weights()
        xavier_init_(self.input_proj)
        xavier_init_(self.decoder)
        xavier_init_(self.predictor)
        trunc_normal_(self.mask_token, std=0.02)
        trunc_normal_(self.pos_embed, std=0.02)

    def forward(self,
                tokens: Tensor,
                padding_mask: Tensor,
                frame_index: Tensor,
                num_frames: int,
                frame_padding: Optional[Tensor] = None) -> Tensor:
        """Decode all frames from the encoded visible ones (Eq. 2-3).

        Args:
            tokens (Tensor): ``(B, L, D)`` encoder tokens.
            padding_mask (Tensor): ``(B, L)`` bool, True = padding token.
            frame_index (Tensor): ``(B, L)`` original frame of each token.
            num_frames (int): ``T``, the (padded) clip length.
            frame_padding (Tensor, optional): ``(B, T)`` bool, True =
                padding frame, hidden from the decoder's attention.
                Defaults to None (no padding).

        Returns:
            Tensor: ``(B, T, num_joints, 2)`` predictions for every frame
            (only the masked ones are supervised).
        """
        if num_frames > self.max_frames:
            raise ValueError(
                f'{num_frames} frames exceed max_frames={self.max_frames}')
        tokens = self.input_proj(tokens)
        b = tokens.shape[0]
        keep = ~padding_mask
        batch_index = torch.arange(b, device=tokens.device)[:, None]
        full = self.mask_token.to(tokens.dtype).expand(
            b, num_frames, -1).clone()
        full[batch_index.expand_as(frame_index)[keep],
             frame_index[keep]] = tokens[keep]
        if frame_padding is not None and not bool(frame_padding.any()):
            frame_padding = None
        full = self.decoder(
            full + self.pos_embed[:, :num_frames],
            src_key_padding_mask=frame_padding)
        return self.predictor(full).reshape(b, num_frames, self.num_joints,
                                            2 * self.num_scales)

    def loss(self,
             tokens: Tensor,
             padding_mask: Tensor,
             frame_index: Tensor,
             mask: Tensor,
             target: Tensor,
             weight: Tensor,
             frame_padding: Optional[Tensor] = None) -> Tensor:
        """Decode and compute Eq. 4 on the masked frames.

        Args:
            tokens (Tensor): ``(B, L, D)`` encoder tokens.
            padding_mask (Tensor): ``(B, L)`` bool, True = padding token.
            frame_index (Tensor): ``(B, L)`` original frame of each token.
            mask (Tensor): ``(B, T)`` bool, True = masked frame.
            target (Tensor): ``(B, T, num_joints, 2)`` motion residuals
                (``'motion'``) or joints (``'joint'``).
            weight (Tensor): ``(B, T, num_joints)``: ``c_i * c_{i+k}``
                (``'motion'``) or ``c_i`` (``'joint'``).
            frame_padding (Tensor, optional): ``(B, T)`` bool, True =
                padding frame. Defaults to None.

        Returns:
            Tensor: scalar ``L_m``.
        """
        pred = self(tokens, padding_mask, frame_index, mask.shape[1],
                    frame_padding)
        return self.loss_module(pred, target, weight, mask, frame_padding)
