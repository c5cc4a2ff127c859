"""Training-loop components (hooks) registered in ``mmaction.registry``."""
from .hooks import AlignWeightRampHook

__all__ = ['AlignWeightRampHook']
