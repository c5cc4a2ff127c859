"""Small helpers shared by MASA's modules."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn.bricks import DropPath
from mmengine.dist import all_gather, get_world_size
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

__all__ = [
    'xavier_init_', 'loads_pretrained', 'all_gather_batch', 'autocast_off',
    'masked_mean', 'pool_clip_features', 'transformer_stack',
    'POS_EMBED_TYPES', 'sinusoid_table', 'add_position_embedding',
    'init_position_embedding', 'FastDropout'
]

#: Kinds of temporal position embedding of MASA's encoder and decoder.
POS_EMBED_TYPES = ('learned', 'sincos')


def masked_mean(tokens: Tensor, padding_mask: Tensor) -> Tensor:
    """Average-pool tokens over time, ignoring padding.

    Args:
        tokens (Tensor): ``(B, L, D)``.
        padding_mask (Tensor): ``(B, L)`` bool, True = padding.

    Returns:
        Tensor: ``(B, D)``.
    """
    keep = (~padding_mask).to(tokens.dtype)[..., None]
    return (tokens * keep).sum(1) / keep.sum(1).clamp(min=1)


def pool_clip_features(feats: Tensor, num_samples: int) -> Tensor:
    """One feature per sample: the backbone output averaged over persons,
    time and joints, then over the clips of each sample.

    Args:
        feats (Tensor): ``(num_samples * num_clips, M, D, T, V')`` backbone
            features, the clips of a sample consecutive (as
            ``RecognizerGCN`` flattens them).
        num_samples (int): ``N``.

    Returns:
        Tensor: ``(N, D)``.
    """
    pooled = feats.mean(dim=(1, 3, 4))
    return pooled.reshape(num_samples, -1, pooled.shape[-1]).mean(1)


class FastDropout(nn.Module):
    """Inverted dropout whose mask comes from 16-bit uniform integers.

    The same layer as ``nn.Dropout`` (training only; kept elements scaled
    so the expectation is unchanged) with a cheaper mask: torch's CPU
    dropout draws one Bernoulli sample per element (``bernoulli_`` was 10 %
    of a corpus pre-training step of the small model), this one fills a
    quarter as many 64-bit integers from torch's generator (so
    ``torch.manual_seed`` / ``set_random_seed`` make it reproducible) and
    reads each as four 16-bit uniform integers ``u``. An element is dropped
    where ``u < round(p * 2**16)``: the drop probability is ``q =
    round(p * 2**16) / 2**16`` (0.1 -> 0.1000061, 0.25 exactly) and kept
    elements are multiplied by ``1 / (1 - q)``.

    Args:
        p (float): Drop probability in [0, 1]. Defaults to 0.5.
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f'dropout probability must be in [0, 1], got '
                             f'{p}')
        self.p = p
        self.threshold = round(p * 2**16)

    def extra_repr(self) -> str:
        """``p=...`` in the module's repr."""
        return f'p={self.p}'

    def keep_mask(self, x: Tensor) -> Tensor:
        """A bool tensor of ``x``'s shape, True where ``x`` is kept."""
        numel = x.numel()
        words = torch.empty(
            (numel + 3) // 4, dtype=torch.int64,
            device=x.device).random_(-2**63, None)
        # As int16, u = lane + 2**15 is uniform on [0, 2**16).
        lanes = words.view(torch.int16)[:numel].view(x.shape)
        return lanes >= self.threshold - 2**15

    def forward(self, x: Tensor) -> Tensor:
        """Drop elements of ``x`` (training only).

        Args:
            x (Tensor): Any shape, floating point.

        Returns:
            Tensor: Same shape and dtype.
        """
        if not self.training or self.threshold == 0:
            return x
        if self.threshold == 2**16:
            return x * 0.0
        scale = 2**16 / (2**16 - self.threshold)
        return x * self.keep_mask(x).to(x.dtype).mul_(scale)


def transformer_stack(embed_dims: int,
                      num_layers: int,
                      num_heads: int,
                      feedforward_channels: int,
                      dropout: float,
                      drop_path_rate: float = 0.0) -> nn.TransformerEncoder:
    """The self-attention blocks of MASA's encoder and decoder: post-LN,
    GELU, batch first (the authors' released blocks).

    Args:
        embed_dims (int): Token width.
        num_layers (int): Blocks.
        num_heads (int): Attention heads.
        feedforward_channels (int): FFN hidden width.
        dropout (float): Dropout in the blocks.
        drop_path_rate (float): Stochastic depth (mmcv's ``DropPath``) of
            the last block's two residual branches; block ``i`` of ``L``
            drops with ``drop_path_rate * i / (L - 1)`` (0 in the first),
            the rule of timm and mmpretrain. Defaults to 0.0 (none, the
            paper's and released code's blocks).

    Returns:
        nn.TransformerEncoder: The stack (no nested tensors, so padded
        batches keep their shape); the residual and feed-forward dropouts
        are :class:`FastDropout` (the attention weights' dropout is
        PyTorch's), followed on the residual branches by ``DropPath`` where
        its rate is above 0.
    """
    if not 0 <= drop_path_rate < 1:
        raise ValueError(
            f'drop_path_rate must be in [0, 1), got {drop_path_rate}')
    layer = nn.TransformerEncoderLayer(
        d_model=embed_dims,
        nhead=num_heads,
        dim_feedforward=feedforward_channels,
        dropout=dropout,
        activation='gelu',
        batch_first=True,
        norm_first=False)
    for name in ('dropout', 'dropout1', 'dropout2'):
        setattr(layer, name, FastDropout(dropout))
    stack = nn.TransformerEncoder(
        layer, num_layers, enable_nested_tensor=False)
    for i, block in enumerate(stack.layers):
        rate = drop_path_rate * i / max(num_layers - 1, 1)
        if rate > 0:
            # The branch outputs x + dropout1(self_attn(x)) and
            # x + dropout2(ffn(x)) of the post-LN block.
            block.dropout1 = nn.Sequential(
                FastDropout(dropout), DropPath(rate))
            block.dropout2 = nn.Sequential(
                FastDropout(dropout), DropPath(rate))
    return stack


def sinusoid_table(num_positions: int, dims: int) -> Tensor:
    """The fixed sine-cosine position table of the Transformer paper.

    Row ``t``, channels ``2j`` and ``2j + 1``: ``sin(t w_j)`` and
    ``cos(t w_j)`` with ``w_j = 10000^(-2j / dims)``.

    Args:
        num_positions (int): Rows (positions 0, 1, ...).
        dims (int): Channels; must be even.

    Returns:
        Tensor: ``(1, num_positions, dims)`` float32.
    """
    if dims % 2:
        raise ValueError(f'a sine-cosine table needs an even width, got '
                         f'{dims}')
    position = torch.arange(num_positions, dtype=torch.float64)[:, None]
    freq = 10000.0**(-torch.arange(0, dims, 2, dtype=torch.float64) / dims)
    table = torch.empty(num_positions, dims, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * freq)
    table[:, 1::2] = torch.cos(position * freq)
    return table.float()[None]


def add_position_embedding(module: nn.Module, kind: str, num_positions: int,
                           dims: int) -> None:
    """Give ``module`` a temporal position table ``pos_embed`` of shape
    ``(1, num_positions, dims)``.

    Args:
        module (nn.Module): The encoder or decoder.
        kind (str): ``'learned'``: a trainable parameter (zeros until
            :func:`init_position_embedding`); ``'sincos'``: the fixed
            :func:`sinusoid_table` as a buffer that checkpoints do not hold
            (so a checkpoint of the other kind does not fit the model).
        num_positions (int): Rows.
        dims (int): Channels.
    """
    if kind not in POS_EMBED_TYPES:
        raise ValueError(f'pos_embed_type must be one of {POS_EMBED_TYPES}, '
                         f'got {kind!r}')
    if kind == 'sincos':
        module.register_buffer(
            'pos_embed', sinusoid_table(num_positions, dims), persistent=False)
    else:
        module.pos_embed = nn.Parameter(torch.zeros(1, num_positions, dims))


def init_position_embedding(table: Tensor) -> None:
    """Truncated normal (std 0.02) for a learned table (a parameter); a
    fixed table (a buffer) is left as it is."""
    if isinstance(table, nn.Parameter):
        trunc_normal_(table, std=0.02)


def xavier_init_(module: nn.Module) -> None:
    """Xavier-uniform init of every parameter with more than one dimension
    (the authors' released init), leaving vectors (biases, norms) alone."""
    for param in module.parameters():
        if param.dim() > 1:
            nn.init.xavier_uniform_(param)


def loads_pretrained(init_cfg: Optional[Union[Dict, List[Dict]]]) -> bool:
    """Whether an ``init_cfg`` (dict or list of dicts) loads a checkpoint."""
    cfgs = init_cfg if isinstance(init_cfg, list) else [init_cfg]
    return any(
        isinstance(cfg, dict) and cfg.get('type') == 'Pretrained'
        for cfg in cfgs)


def all_gather_batch(tensor: Tensor) -> Tuple[Tensor, List[int]]:
    """Concatenate every rank's ``tensor`` along dim 0, in rank order.

    Ranks may hold different batch sizes (e.g. a last, smaller batch) and
    different sizes along the other dims: every dim but the first is
    zero-padded to the largest size over the ranks before gathering. Without
    distributed training the tensor comes back unchanged.

    Args:
        tensor (Tensor): ``(n_r, ...)`` this rank's batch.

    Returns:
        tuple[Tensor, list[int]]: ``(sum_r n_r, ...)`` the batches of all
        ranks and the per-rank batch sizes ``[n_0, n_1, ...]``.
    """
    if get_world_size() == 1:
        return tensor, [tensor.shape[0]]
    shape = torch.tensor(tensor.shape, device=tensor.device)
    shapes = torch.stack(all_gather(shape))
    padded = tensor.new_zeros(shapes.amax(0).tolist())
    padded[tuple(slice(0, size) for size in tensor.shape)] = tensor
    sizes = shapes[:, 0].tolist()
    parts = all_gather(padded)
    return torch.cat([part[:n] for part, n in zip(parts, sizes)]), sizes


def autocast_off(device: torch.device) -> torch.autocast:
    """A context in which mixed-precision autocast is disabled on
    ``device``'s type, so a loss computed inside stays in the dtype of its
    (float32) inputs.

    Args:
        device (torch.device): Device of the tensors.

    Returns:
        torch.autocast: The context manager.
    """
    return torch.autocast(device_type=device.type, enabled=False)
