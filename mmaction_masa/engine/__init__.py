"""Training-loop components (hooks) registered in ``mmaction.registry``."""
from .hooks import AlignWeightRampHook, AtomicCheckpointHook

__all__ = ['AlignWeightRampHook', 'AtomicCheckpointHook']
