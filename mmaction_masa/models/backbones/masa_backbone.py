"""MASA's backbone: frame-wise pose embedding + Transformer encoder."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from mmaction.registry import MODELS
from ..utils import (add_position_embedding, init_position_embedding,
                     loads_pretrained, transformer_stack, xavier_init_)

__all__ = ['MASABackbone', 'gather_visible']


def gather_visible(visible: Tensor) -> Tuple[Tensor, Tensor]:
    """Left-align the visible frames of each sample.

    Args:
        visible (Tensor): ``(B, T)`` bool, True = frame kept.

    Returns:
        tuple[Tensor, Tensor]: ``frame_index`` ``(B, L)`` long, the original
        indices of the visible frames in temporal order (0 at padding), and
        ``padding_mask`` ``(B, L)`` bool (True = padding), with
        ``L = max_b visible[b].sum()``.
    """
    counts = visible.sum(1)
    length = int(counts.max())
    # Stable sort on "is hidden" puts visible frames first, in order.
    order = torch.sort((~visible).to(torch.uint8), dim=1, stable=True)[1]
    padding_mask = torch.arange(
        length, device=visible.device)[None] >= counts[:, None]
    frame_index = order[:, :length].masked_fill(padding_mask, 0)
    return frame_index, padding_mask


@MODELS.register_module()
class MASABackbone(BaseModule):
    """MASA backbone: :class:`PoseEmbedding` + learnable temporal position
    embedding + Transformer encoder (post-LN, GELU, PyTorch's fused
    ``scaled_dot_product_attention`` path).

    Paper values: ``embed_dims=1536`` (D_e), vanilla Transformer encoder.
    Released-code values (paper silent): 3 blocks, 8 heads, FFN 2048, dropout
    0.1, post-LN, GELU, Xavier-uniform init of all weight matrices. Ours:
    the learnable position embedding (truncated normal, std 0.02) and
    ``max_frames``.

    In pre-training :meth:`forward_tokens` runs the encoder on the visible
    frames only; :meth:`forward` (fine-tuning, inside MMAction2's
    ``RecognizerGCN``) runs it on every frame and returns a
    ``(N, M, D, T, 1)`` map for ``GCNHead``.

    Args:
        embedding (dict): Config of the frame-wise embedding; its output
            width must equal ``embed_dims``.
            Defaults to ``dict(type='PoseEmbedding')``.
        embed_dims (int): Token width. Defaults to 1536.
        num_layers (int): Encoder blocks. Defaults to 3.
        num_heads (int): Attention heads. Defaults to 8.
        feedforward_channels (int): FFN hidden width. Defaults to 2048.
        dropout (float): Dropout in the encoder blocks. Defaults to 0.1.
        drop_path_rate (float): Stochastic depth of the encoder's last
            block, rising linearly from 0 in the first (ours, the
            sign-recognition recipe; see
            :func:`~mmaction_masa.models.utils.transformer_stack`).
            Defaults to 0.0 (the paper's encoder).
        temporal_conv (dict, optional): Config of a
            :class:`~mmaction_masa.models.embeddings.TemporalConv` after the
            frame-wise embedding (the released code's temporal blocks, e.g.
            ``dict(type='TemporalConv', kernels=(5, 3, 3))``; its
            ``embed_dims`` is filled in). Only when every frame is encoded
            (fine-tuning): :meth:`forward_tokens` with ``visible`` raises,
            as it would leak masked frames. Defaults to None (the paper's
            frame-wise embedding).
        max_frames (int): Length of the position embedding table.
            Defaults to 512.
        pos_embed_type (str): ``'learned'`` (truncated normal, std 0.02)
            or ``'sincos'``: the fixed sine-cosine table of the Transformer
            paper (ours, a switch: the 0.02 table is 0.4 % of the
            embedding's RMS, so the encoder hardly sees frame order; see
            the README). Defaults to 'learned'.
        mask_token (bool): Learn a mask token (truncated normal, std 0.02)
            that replaces the embedding of ``masked`` frames in
            :meth:`forward_tokens`: the released code's BERT-style encoder
            input and masked SA view (switches of :class:`MASA`).
            Defaults to False (the paper's MAE-style visible-only encoder
            needs none).
        init_cfg (dict or list[dict], optional): e.g.
            ``dict(type='Pretrained', checkpoint=..., prefix='backbone.')``
            to load a MASA pre-training checkpoint. Defaults to None.
    """

    def __init__(self,
                 embedding: Dict = dict(type='PoseEmbedding'),
                 embed_dims: int = 1536,
                 num_layers: int = 3,
                 num_heads: int = 8,
                 feedforward_channels: int = 2048,
                 dropout: float = 0.1,
                 drop_path_rate: float = 0.0,
                 temporal_conv: Optional[Dict] = None,
                 max_frames: int = 512,
                 pos_embed_type: str = 'learned',
                 mask_token: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.embedding = MODELS.build(embedding)
        if self.embedding.embed_dims != embed_dims:
            raise ValueError(
                f'embedding outputs {self.embedding.embed_dims} channels but '
                f'embed_dims={embed_dims}')
        self.embed_dims = embed_dims
        self.max_frames = max_frames
        self.temporal_conv = MODELS.build(
            dict(temporal_conv,
                 embed_dims=embed_dims)) if temporal_conv is not None else None
        add_position_embedding(self, pos_embed_type, max_frames, embed_dims)
        self.mask_token = nn.Parameter(torch.zeros(
            1, embed_dims)) if mask_token else None
        self.encoder = transformer_stack(embed_dims, num_layers, num_heads,
                                         feedforward_channels, dropout,
                                         drop_path_rate)

    def init_weights(self) -> None:
        """Xavier-uniform weights and a truncated-normal position embedding,
        unless ``init_cfg`` loads pre-trained weights."""
        super().init_weights()
        if not loads_pretrained(self.init_cfg):
            xavier_init_(self.embedding)
            xavier_init_(self.encoder)
            if self.temporal_conv is not None:
                xavier_init_(self.temporal_conv)
            init_position_embedding(self.pos_embed)
            if self.mask_token is not None:
                trunc_normal_(self.mask_token, std=0.02)

    def forward_tokens(
            self,
            x: Tensor,
            visible: Optional[Tensor] = None,
            masked: Optional[Tensor] = None) -> Tuple[Tensor, Tensor, Tensor]:
        """Encode the visible frames of each sample.

        Only the visible frames are embedded and encoded. Each token gets
        the position embedding of its original frame index; samples with
        fewer visible frames are right-padded and the padding is hidden from
        attention by a key padding mask. Visible frames that are also
        ``masked`` (BERT-style input) enter as :attr:`mask_token` and are
        hidden as attention keys too (they still get an output).

        Args:
            x (Tensor): ``(B, T, V, C)`` poses.
            visible (Tensor, optional): ``(B, T)`` bool, True = frame is
                encoded; every sample needs at least one. None = all frames.
            masked (Tensor, optional): ``(B, T)`` bool, True = the frame's
                embedding is replaced by the mask token; or ``(B, T, P)``
                per token part (the P equal slices of the token, e.g. the
                right hand, left hand and body of :class:`PoseEmbedding`):
                the masked parts' slices are replaced by the mask token's,
                and a frame is hidden as a key only when all its parts are
                masked. Every sample needs an encoded frame that is not
                (fully) masked. Needs ``mask_token=True``.
                Defaults to None.

        Returns:
            tuple[Tensor, Tensor, Tensor]: ``tokens`` ``(B, L, D)`` (zeros
            at padding), ``padding_mask`` ``(B, L)`` bool (True = padding)
            and ``frame_index`` ``(B, L)`` long; ``L = T`` when ``visible``
            is None, else the largest visible count.
        """
        b, t = x.shape[:2]
        if t > self.max_frames:
            raise ValueError(f'{t} frames exceed max_frames={self.max_frames}')
        if visible is None:
            frame_index = torch.arange(t, device=x.device).expand(b, t)
            padding_mask = torch.zeros_like(frame_index, dtype=torch.bool)
            tokens = self.embedding(x)
            if self.temporal_conv is not None:
                tokens = self.temporal_conv(tokens)
        else:
            if self.temporal_conv is not None:
                raise ValueError(
                    'MASABackbone(temporal_conv=...) encodes every frame '
                    '(fine-tuning); with visible frames only it would carry '
                    'masked frames into their neighbours\' tokens')
            if not bool(visible.any(1).all()):
                raise ValueError('every sample needs at least one visible '
                                 'frame')
            frame_index, padding_mask = gather_visible(visible)
            embedded = self.embedding(x[visible])
            tokens = embedded.new_zeros(*frame_index.shape, self.embed_dims)
            tokens[~padding_mask] = embedded
        hidden = padding_mask
        if masked is not None:
            tokens, hidden = self._mask_tokens(tokens, masked, frame_index,
                                               padding_mask)
        tokens = tokens + self.pos_embed[0, frame_index]
        # Every frame encoded and none masked: nothing is hidden, and no
        # data-dependent branch is taken (the export path, see
        # mmaction_masa.apis.export).
        key_mask = hidden if (visible is not None or masked is not None) \
            and bool(hidden.any()) else None
        tokens = self.encoder(tokens, src_key_padding_mask=key_mask)
        if visible is not None and bool(padding_mask.any()):
            tokens = tokens.masked_fill(padding_mask[..., None], 0)
        return tokens, padding_mask, frame_index

    def _mask_tokens(self, tokens: Tensor, masked: Tensor, frame_index: Tensor,
                     padding_mask: Tensor) -> Tuple[Tensor, Tensor]:
        """Replace the tokens of masked frames by the mask token.

        Returns:
            tuple[Tensor, Tensor]: The tokens and the ``(B, L)`` key mask
            (padding or masked).
        """
        if self.mask_token is None:
            raise ValueError('masked frames need MASABackbone(mask_token='
                             'True)')
        if masked.dim() == 2:
            masked = masked[..., None]
        num_parts = masked.shape[-1]
        if self.embed_dims % num_parts:
            raise ValueError(f'{num_parts} mask parts do not divide the '
                             f'token width {self.embed_dims}')
        masked = masked.gather(
            1, frame_index[..., None].expand(-1, -1, num_parts))
        masked = masked & ~padding_mask[..., None]
        hidden = padding_mask | masked.all(-1)
        if not bool((~hidden).any(1).all()):
            raise ValueError('every sample needs an encoded frame that is '
                             'not masked')
        token = self.mask_token.to(tokens.dtype).expand_as(tokens)
        part_mask = masked.repeat_interleave(
            self.embed_dims // num_parts, dim=-1)
        return torch.where(part_mask, token, tokens), hidden

    def forward(self, x: Tensor) -> Tensor:
        """Encode every frame of every person.

        Args:
            x (Tensor): ``(N, M, T, V, C)`` poses.

        Returns:
            Tensor: ``(N, M, D, T, 1)`` features (the layout
            ``GCNHead`` pools).
        """
        n, m, t = x.shape[:3]
        tokens = self.forward_tokens(x.reshape(n * m, *x.shape[2:]))[0]
        return tokens.reshape(n, m, t, -1).permute(0, 1, 3, 2)[..., None]
