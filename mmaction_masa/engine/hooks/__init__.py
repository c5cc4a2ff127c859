from .align_weight_ramp_hook import AlignWeightRampHook

__all__ = ['AlignWeightRampHook']
