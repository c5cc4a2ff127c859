from .motion_prediction_loss import MotionPredictionLoss

__all__ = ['MotionPredictionLoss']
