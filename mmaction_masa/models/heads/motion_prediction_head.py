"""MASA's motion prediction head: MLP, target and Eq. 4 loss."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch import Tensor

from mmaction.registry import MODELS
from ...sign_layout import JOINT_TOKEN_PART
from ..utils import xavier_init_

__all__ = ['MotionPredictionHead']

TARGETS = ('motion', 'joint')
#: The packed per-frame fields each target is built from.
TARGET_FIELDS = {
    'motion': ('motion_target', 'motion_weight'),
    'joint': ('joint_weight', ),
}


@MODELS.register_module()
class MotionPredictionHead(BaseModule):
    """Motion prediction MLP and loss of MASA (Eq. 4), in the place of
    mmpretrain's ``MAEPretrainHead``.

    An MLP predicts each decoded frame's ``num_joints x 2`` motion residual
    ``x_{i+k} - x_i`` (``target='motion'``, the paper) or its static joints
    ``x_i`` (``target='joint'``, Table VI ablation) from the tokens of
    :class:`~mmaction_masa.models.necks.MotionDecoder`. Only the masked
    frames are supervised (Eq. 4, :class:`MotionPredictionLoss`, built from
    its config as in ``MAEPretrainHead``); padding frames never are.

    :meth:`construct_target` is the one place the target is made: the
    residuals ``motion_target`` and weights ``motion_weight`` that
    ``MotionAwareMask`` packs, or the input joints with the packed
    ``joint_weight``; :attr:`target_fields` names the packed fields it
    needs.

    Ours: the single MLP ``in_channels -> hidden_channels -> GELU ->
    num_joints*2`` (released code: per-part MLPs 512->256->42/14 on
    per-part tokens).

    Args:
        in_channels (int): Width of the decoded tokens. Defaults to 1536.
        hidden_channels (int): Hidden width of the prediction MLP.
            Defaults to 512.
        num_joints (int): Joints per frame. Defaults to 49.
        target (str): ``'motion'`` or ``'joint'``. Defaults to 'motion'.
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
                 in_channels: int = 1536,
                 hidden_channels: int = 512,
                 num_joints: int = 49,
                 target: str = 'motion',
                 loss: Dict = dict(type='MotionPredictionLoss'),
                 num_scales: int = 1,
                 output_act: Optional[str] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if target not in TARGETS:
            raise ValueError(
                f'target must be one of {TARGETS}, got {target!r}')
        if output_act not in (None, 'relu'):
            raise ValueError(
                f"output_act must be None or 'relu', got {output_act!r}")
        self.target = target
        self.loss_module = MODELS.build(loss)
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.num_scales = num_scales
        self.predictor = nn.Sequential(
            nn.Linear(in_channels, hidden_channels), nn.GELU(),
            nn.Linear(hidden_channels, num_joints * 2 * num_scales),
            *([nn.ReLU()] if output_act == 'relu' else []))

    @property
    def target_fields(self) -> Tuple[str, ...]:
        """The packed per-frame fields :meth:`construct_target` reads."""
        return TARGET_FIELDS[self.target]

    def init_weights(self) -> None:
        """Xavier-uniform weight matrices of the MLP."""
        super().init_weights()
        xavier_init_(self.predictor)

    def forward(self, feats: Tensor) -> Tensor:
        """Predict every frame's target.

        Args:
            feats (Tensor): ``(B, T, in_channels)`` decoded tokens.

        Returns:
            Tensor: ``(B, T, num_joints, 2 * num_scales)`` predictions.
        """
        b, t = feats.shape[:2]
        return self.predictor(feats).reshape(b, t, self.num_joints,
                                             2 * self.num_scales)

    def construct_target(self, pose: Tensor, fields: Dict[str, Tensor],
                         mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """The target, its per-joint weight and the supervised frames.

        Args:
            pose (Tensor): ``(B, T, V, C)`` input poses (``[x, y, ...]``).
            fields (dict[str, Tensor]): The :attr:`target_fields`, stacked
                over the batch: ``motion_target`` ``(B, T, V, 2 S)`` and
                ``motion_weight`` ``(B, T, V)`` (``(B, T, V, S)`` for S
                scales), or ``joint_weight`` ``(B, T, V)``.
            mask (Tensor): ``(B, T)`` bool, True = masked frame; or
                ``(B, T, P)`` per token part (``MotionAwareMask(per_part=
                True)``), where each joint is supervised on the frames its
                part is masked in.

        Returns:
            tuple[Tensor, Tensor, Tensor]: ``target``, ``weight`` and the
            ``(B, T)`` bool frames with a masked part.
        """
        if self.target == 'motion':
            target, weight = fields['motion_target'], fields['motion_weight']
        else:
            target, weight = pose[..., :2], fields['joint_weight']
        if mask.dim() == 3:
            part = torch.tensor(JOINT_TOKEN_PART, device=mask.device)
            joint_mask = mask[..., part].to(weight.dtype)
            weight = weight * (
                joint_mask if weight.dim() == 3 else joint_mask[..., None])
            mask = mask.any(-1)
        return target, weight, mask

    def loss(self,
             feats: Tensor,
             pose: Tensor,
             fields: Dict[str, Tensor],
             mask: Tensor,
             frame_padding: Optional[Tensor] = None) -> Tensor:
        """Predict and compute Eq. 4 on the masked frames.

        Args:
            feats (Tensor): ``(B, T, in_channels)`` decoded tokens.
            pose (Tensor): ``(B, T, V, C)`` input poses.
            fields (dict[str, Tensor]): The :attr:`target_fields` (see
                :meth:`construct_target`).
            mask (Tensor): ``(B, T)`` or ``(B, T, P)`` bool, True = masked.
            frame_padding (Tensor, optional): ``(B, T)`` bool, True =
                padding frame. Defaults to None.

        Returns:
            Tensor: scalar ``L_m``.
        """
        target, weight, mask = self.construct_target(pose, fields, mask)
        return self.loss_module(
            self(feats), target, weight, mask, frame_padding)
