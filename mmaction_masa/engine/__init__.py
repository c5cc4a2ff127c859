"""Training-loop components (hooks, the bfloat16 optimizer wrapper, the
export-aware ``Pretrained`` initializer) registered in ``mmaction.registry``.
"""
from .hooks import (AlignWeightRampHook, AtomicCheckpointHook,
                    RepresentationMonitorHook, RNGStateHook)
from .optimizers import BF16AutocastOptimWrapper
from .weight_init import ExportAwarePretrainedInit, is_backbone_export

__all__ = [
    'AlignWeightRampHook', 'AtomicCheckpointHook', 'RNGStateHook',
    'RepresentationMonitorHook', 'ExportAwarePretrainedInit',
    'is_backbone_export', 'BF16AutocastOptimWrapper'
]
