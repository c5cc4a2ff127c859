"""Training-loop components (hooks) registered in ``mmaction.registry``."""
from .hooks import AlignWeightRampHook, RepresentationMonitorHook

__all__ = ['AlignWeightRampHook', 'RepresentationMonitorHook']
