"""MASA's frame-wise pose embedding layer (Eq. 1 of the paper).

Each frame's 49 joints are embedded independently of every other frame:
a hand GCN (shared by both hands) and a body GCN, in the style of SignBERT's
hand model, each ending in one ``part_channels``-d vector; the token of the
frame is ``Concat(GCN_H(right hand), GCN_H(left hand), GCN_B(body))``.

Per part (sizes of the authors' released code, all configurable):
BatchNorm over joints x channels -> graph convolutions on the joint graph
(``in_channels -> 128 -> 128 -> 256``) -> max-pool into joint groups
(hand: palm + five fingers, body: nose + two arms) -> graph convolutions on
the graph of the groups (``-> 512 -> 512``) -> max-pool over the groups ->
Linear + BatchNorm + ReLU + Dropout(0.25) -> ``part_channels`` (512)
(the dropout is :class:`~mmaction_masa.models.utils.FastDropout`).
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from mmaction_masa.sign_layout import (BODY_BONES, HAND_BONES, PART_SLICES,
                                       part_adjacency)
from ..utils import FastDropout

__all__ = [
    'PoseEmbedding', 'PartGCN', 'GraphConv', 'HAND_GROUPS', 'BODY_GROUPS',
    'PART_GROUPS', 'group_adjacency', 'group_max_pool'
]


def _children(bones: Sequence[Tuple[int, int]], parent: int) -> List[int]:
    """Joints whose (child, parent) bone ends at ``parent``."""
    return sorted(c for c, p in bones if p == parent)


def _chain(bones: Sequence[Tuple[int, int]], start: int) -> List[int]:
    """``start`` and all its descendants in the bone tree."""
    joints, frontier = [], [start]
    while frontier:
        joint = frontier.pop()
        joints.append(joint)
        frontier.extend(_children(bones, joint))
    return sorted(joints)


def _hand_groups() -> Tuple[Tuple[int, ...], ...]:
    """Palm (wrist + finger roots), then each finger without its root."""
    roots = _children(HAND_BONES, 0)
    palm = tuple([0] + roots)
    fingers = [tuple(_chain(HAND_BONES, r)[1:]) for r in roots]
    return (palm, *fingers)


def _body_groups() -> Tuple[Tuple[int, ...], ...]:
    """Nose, then one arm (shoulder, elbow, wrist) per nose child."""
    arms = [tuple(_chain(BODY_BONES, r)) for r in _children(BODY_BONES, 0)]
    return ((0, ), *arms)


#: Hand joint groups (hand-local indices), derived from ``HAND_BONES``:
#: palm = wrist + the five finger roots, then thumb, index, middle, ring,
#: little finger (their three outer joints). A partition of the 21 joints.
HAND_GROUPS: Tuple[Tuple[int, ...], ...] = _hand_groups()
#: Body joint groups (body-local indices), derived from ``BODY_BONES``:
#: nose, left arm, right arm. A partition of the 7 joints.
BODY_GROUPS: Tuple[Tuple[int, ...], ...] = _body_groups()
#: Part name (``'hand'`` / ``'body'``) -> joint groups.
PART_GROUPS: Dict[str, Tuple[Tuple[int, ...], ...]] = dict(
    hand=HAND_GROUPS, body=BODY_GROUPS)


def _membership(groups: Sequence[Sequence[int]], num_joints: int) -> Tensor:
    """``(G, V)`` bool matrix, True where joint v belongs to group g."""
    member = torch.zeros(len(groups), num_joints, dtype=torch.bool)
    for g, joints in enumerate(groups):
        member[g, list(joints)] = True
    return member


def _group_index(groups: Sequence[Sequence[int]]) -> Tensor:
    """``(G, L)`` long: the joints of each group, ``L`` = largest group;
    a shorter group is right-padded with its own first joint (a repeated
    joint leaves the group's maximum unchanged)."""
    width = max(map(len, groups))
    rows = [list(g) + [g[0]] * (width - len(g)) for g in groups]
    return torch.tensor(rows, dtype=torch.long)


def group_max_pool(x: Tensor, group_index: Tensor) -> Tensor:
    """Max-pool the joints of each group: ``(N, V, C) -> (N, G, C)``.

    The position of each maximum is found without autograd and the maxima
    are then gathered from ``x``, so the gradient of an output reaches only
    its maximal joint (as with ``torch.max(dim)``; on ties one of them) and
    the backward pass is one scatter of ``N * G * C`` values. (Advanced
    indexing of an ``(N, G, L, C)`` block followed by ``amax`` computes the
    same values, but its backward is an accumulating ``index_put_`` over
    the whole block, the slowest operator of a pre-training step on CPU.)
    Without autograd (the key branch, inference) it is that plain
    ``amax``.

    Args:
        x (Tensor): ``(N, V, C)`` joint features.
        group_index (Tensor): ``(G, L)`` long, the joints of each group
            (shorter groups padded with a repeated member, see
            :func:`_group_index`).

    Returns:
        Tensor: ``(N, G, C)``, entry ``[n, g, c]`` the maximum of
        ``x[n, group_index[g], c]``.
    """
    if not (torch.is_grad_enabled() and x.requires_grad):
        return x[:, group_index].amax(2)
    groups, width = group_index.shape
    with torch.no_grad():
        pos = x[:, group_index].max(2).indices
        offset = torch.arange(groups, device=x.device)[:, None] * width
        joint = group_index.flatten()[pos + offset]
    return x.gather(1, joint)


def group_adjacency(part: str) -> np.ndarray:
    """Adjacency subsets of the graph of a part's joint groups.

    Group g is linked to group h (g != h) in subset k when some joint of g
    is linked to some joint of h in subset k of :func:`part_adjacency`
    (graph coarsening); subset 0 is the identity. Rows are normalised like
    :func:`part_adjacency`.

    Args:
        part (str): ``'hand'`` or ``'body'``.

    Returns:
        np.ndarray: ``(4, G, G)`` float32: self, towards the root group,
        away from it, symmetric.
    """
    joint_adj = part_adjacency(part) > 0
    groups = PART_GROUPS[part]
    member = _membership(groups,
                         joint_adj.shape[-1]).numpy().astype(np.float32)
    adj = np.einsum('gv,kvw,hw->kgh', member, joint_adj.astype(np.float32),
                    member) > 0
    eye = np.eye(len(groups), dtype=bool)
    adj[1:] &= ~eye
    adj[0] = eye
    adj = adj.astype(np.float32)
    return adj / np.maximum(adj.sum(-1, keepdims=True), 1)


class GraphConv(nn.Module):
    """Graph convolution with separate weights per adjacency subset.

    ``y_i = ReLU(BN(sum_k sum_j A_kij x_j W_k + b))``, computed as one linear
    layer over the ``K`` aggregated copies of the input.

    Args:
        in_channels (int): Input channels per joint.
        out_channels (int): Output channels per joint.
        adjacency (np.ndarray): ``(K, V, V)`` adjacency subsets.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 adjacency: np.ndarray) -> None:
        super().__init__()
        self.register_buffer('adjacency',
                             torch.as_tensor(adjacency, dtype=torch.float32))
        self.linear = nn.Linear(adjacency.shape[0] * in_channels, out_channels)
        self.bn = nn.BatchNorm1d(out_channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """Aggregate the neighbours of every joint and project them.

        Args:
            x (Tensor): ``(N, V, C_in)`` joint features.

        Returns:
            Tensor: ``(N, V, C_out)``.
        """
        n, v, _ = x.shape
        # (V*K, W) @ (N, W, C) lays the aggregates out as (N, V, K, C): the
        # linear layer's (N, V, K*C) input without a permuting copy.
        adjacency = self.adjacency.transpose(0, 1).reshape(-1, v)
        y = self.linear(torch.matmul(adjacency, x).view(n, v, -1))
        y = self.bn(y.reshape(n * v, -1)).reshape(n, v, -1)
        return self.relu(y)


class PartGCN(nn.Module):
    """GCN embedding of one body part (one frame at a time).

    Args:
        part (str): ``'hand'`` or ``'body'`` (graph and joint groups).
        in_channels (int): Channels per joint (x, y, score -> 3).
        joint_channels (Sequence[int]): Widths of the graph convolutions on
            the joint graph.
        group_channels (Sequence[int]): Widths of the graph convolutions on
            the graph of joint groups.
        out_channels (int): Width of the part vector.
        dropout (float): Dropout of the output layer.
    """

    def __init__(self, part: str, in_channels: int,
                 joint_channels: Sequence[int], group_channels: Sequence[int],
                 out_channels: int, dropout: float) -> None:
        super().__init__()
        joint_adj = part_adjacency(part)
        num_joints = joint_adj.shape[-1]
        self.data_bn = nn.BatchNorm1d(num_joints * in_channels)
        self.joint_gcn = self._stack(in_channels, joint_channels, joint_adj)
        self.register_buffer(
            'group_index', _group_index(PART_GROUPS[part]), persistent=False)
        self.group_gcn = self._stack(joint_channels[-1], group_channels,
                                     group_adjacency(part))
        self.out = nn.Sequential(
            nn.Linear(group_channels[-1], out_channels),
            nn.BatchNorm1d(out_channels), nn.ReLU(inplace=True),
            FastDropout(dropout))

    @staticmethod
    def _stack(in_channels: int, widths: Sequence[int],
               adjacency: np.ndarray) -> nn.Sequential:
        """Graph convolutions of ``widths`` over ``adjacency``."""
        chans = [in_channels, *widths]
        return nn.Sequential(*(GraphConv(cin, cout, adjacency)
                               for cin, cout in zip(chans[:-1], chans[1:])))

    def forward(self, x: Tensor) -> Tensor:
        """Embed the joints of one part into one feature.

        Args:
            x (Tensor): ``(N, V_part, C)`` the part's joints.

        Returns:
            Tensor: ``(N, out)``.
        """
        n, v, c = x.shape
        x = self.data_bn(x.reshape(n, v * c)).reshape(n, v, c)
        x = self.joint_gcn(x)
        x = group_max_pool(x, self.group_index)
        x = self.group_gcn(x).amax(1)
        return self.out(x)


@MODELS.register_module()
class PoseEmbedding(BaseModule):
    """Frame-wise pose embedding (Eq. 1): ``(..., 49, C) -> (..., D_e)``.

    Every frame is embedded on its own (leading dimensions are flattened
    into one batch of frames, so there is no temporal mixing). The hand GCN
    is shared by both hands (the data pipeline mirrors the left hand so
    both look like right hands); the output is
    ``Concat(GCN_H(right), GCN_H(left), GCN_B(body))`` with
    ``D_e = 3 * part_channels``.

    Defaults are the authors' released sizes (the paper only fixes
    ``D_e = 1536``); the joint groups of the pooling are
    :data:`HAND_GROUPS` and :data:`BODY_GROUPS`.

    Args:
        in_channels (int): Channels per joint embedded: 2 = (x, y), Eq. 1's
            ``x_i in R^{N x 2}`` and the released code (the confidence still
            drives the mask and the loss); 3 = (x, y, score). Defaults to 2.
        joint_channels (Sequence[int]): Graph-conv widths on the joint
            graph. Defaults to (128, 128, 256).
        group_channels (Sequence[int]): Graph-conv widths on the group
            graph. Defaults to (512, 512).
        part_channels (int): Width of each part vector. Defaults to 512.
        dropout (float): Dropout of each part's output layer.
            Defaults to 0.25.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 2,
                 joint_channels: Sequence[int] = (128, 128, 256),
                 group_channels: Sequence[int] = (512, 512),
                 part_channels: int = 512,
                 dropout: float = 0.25,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.embed_dims = 3 * part_channels
        part_kwargs = dict(
            in_channels=in_channels,
            joint_channels=joint_channels,
            group_channels=group_channels,
            out_channels=part_channels,
            dropout=dropout)
        self.hand_gcn = PartGCN('hand', **part_kwargs)
        self.body_gcn = PartGCN('body', **part_kwargs)

    def forward(self, x: Tensor) -> Tensor:
        """Embed every frame.

        Args:
            x (Tensor): ``(..., 49, C)`` joints ``[x, y, score]`` in the
                order of :mod:`mmaction_masa.sign_layout`; the first
                ``in_channels`` (C >= ``in_channels``) are embedded.

        Returns:
            Tensor: ``(..., 3 * part_channels)`` frame tokens.
        """
        if x.shape[-1] < self.in_channels:
            raise ValueError(
                f'PoseEmbedding(in_channels={self.in_channels}) got joints '
                f'with {x.shape[-1]} channels (shape {tuple(x.shape)})')
        x = x[..., :self.in_channels]
        lead = x.shape[:-2]
        x = x.reshape(-1, *x.shape[-2:])
        hands = torch.cat(
            [x[:, PART_SLICES['right_hand']], x[:, PART_SLICES['left_hand']]])
        # (2N, D) -> (2, N, D) without a Python int of N, so that an export
        # keeps the number of frames dynamic.
        hands = self.hand_gcn(hands).unflatten(0, (2, -1))
        right, left = hands[0], hands[1]
        body = self.body_gcn(x[:, PART_SLICES['body']])
        return torch.cat([right, left, body], dim=-1).reshape(*lead, -1)
