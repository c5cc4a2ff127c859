from .attention_pool_head import AttentionPoolHead
from .momentum_alignment_head import MomentumAlignmentHead, info_nce
from .motion_prediction_head import MotionPredictionHead

__all__ = [
    'AttentionPoolHead', 'MotionPredictionHead', 'MomentumAlignmentHead',
    'info_nce'
]
