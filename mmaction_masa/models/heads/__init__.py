from .momentum_alignment_head import MomentumAlignmentHead, info_nce
from .motion_prediction_head import MotionPredictionHead, masked_motion_loss

__all__ = [
    'MotionPredictionHead', 'MomentumAlignmentHead', 'masked_motion_loss',
    'info_nce'
]
