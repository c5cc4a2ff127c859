from .align_weight_ramp_hook import AlignWeightRampHook
from .representation_monitor_hook import RepresentationMonitorHook

__all__ = ['AlignWeightRampHook', 'RepresentationMonitorHook']
