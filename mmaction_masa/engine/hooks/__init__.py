from .align_weight_ramp_hook import AlignWeightRampHook
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .freeze_backbone_hook import FreezeBackboneHook
from .prediction_picture_hook import PredictionPictureHook
from .representation_monitor_hook import RepresentationMonitorHook
from .rng_state_hook import RNGStateHook

__all__ = [
    'AlignWeightRampHook', 'AtomicCheckpointHook', 'FreezeBackboneHook',
    'PredictionPictureHook', 'RepresentationMonitorHook', 'RNGStateHook'
]
