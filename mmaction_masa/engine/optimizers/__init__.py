"""Optimizer wrappers."""
from .bf16_autocast_optim_wrapper import BF16AutocastOptimWrapper, native_bf16

__all__ = ['BF16AutocastOptimWrapper', 'native_bf16']
