"""Classification head with learned attention pooling over frames."""
import torch
import torch.nn as nn
from torch import Tensor

from mmaction.models.heads import GCNHead
from mmaction.registry import MODELS

__all__ = ['AttentionPoolHead']


@MODELS.register_module()
class AttentionPoolHead(GCNHead):
    """MMAction2's ``GCNHead`` with learned attention pooling instead of
    the average (a fine-tuning switch; the released MASA code pools its SA
    features by learned attention, the paper averages).

    For each person the ``T x V`` feature vectors ``x_i`` of the backbone
    map are weighted by ``softmax_i(w^T tanh(W x_i))`` (``W``: ``hid_channels
    x in_channels``) and summed; persons are averaged, then dropout and the
    linear classifier as in ``GCNHead``. With the head's default
    initialisation (normal, std 0.01, on every ``Linear``) the weights
    start near uniform, i.e. near average pooling.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Feature width.
        hid_channels (int): Width of the attention scorer. Defaults to 128.
        **kwargs: ``GCNHead``'s (``loss_cls``, ``dropout``,
            ``label_smooth_eps``, ``average_clips``, ``init_cfg`` ...).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 hid_channels: int = 128,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, **kwargs)
        self.pool = None
        self.attention = nn.Sequential(
            nn.Linear(in_channels, hid_channels), nn.Tanh(),
            nn.Linear(hid_channels, 1))

    def attention_weights(self, x: Tensor) -> Tensor:
        """Pooling weights of a backbone map.

        Args:
            x (Tensor): ``(N, M, C, T, V)``.

        Returns:
            Tensor: ``(N, M, T * V)``, summing to 1 over the last axis.
        """
        n, m, c = x.shape[:3]
        tokens = x.reshape(n, m, c, -1).transpose(2, 3)
        return torch.softmax(self.attention(tokens)[..., 0], dim=-1)

    def forward(self, x: Tensor, **kwargs) -> Tensor:
        """Class scores of a backbone map.

        Args:
            x (Tensor): ``(N, M, C, T, V)`` features.

        Returns:
            Tensor: ``(N, num_classes)``.
        """
        n, m, c = x.shape[:3]
        weights = self.attention_weights(x)
        pooled = torch.einsum('nmcs,nms->nmc', x.reshape(n, m, c, -1),
                              weights).mean(1)
        if self.dropout is not None:
            pooled = self.dropout(pooled)
        return self.fc(pooled)
