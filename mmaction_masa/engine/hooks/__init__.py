from .align_weight_ramp_hook import AlignWeightRampHook
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .representation_monitor_hook import RepresentationMonitorHook
from .rng_state_hook import RNGStateHook

__all__ = [
    'AlignWeightRampHook', 'AtomicCheckpointHook', 'RepresentationMonitorHook',
    'RNGStateHook'
]
