from .masa import MASA, masked_mean
from .momentum_encoder import MomentumEncoder

__all__ = ['MASA', 'MomentumEncoder', 'masked_mean']
