from .align_weight_ramp_hook import AlignWeightRampHook
from .atomic_checkpoint_hook import AtomicCheckpointHook

__all__ = ['AlignWeightRampHook', 'AtomicCheckpointHook']
