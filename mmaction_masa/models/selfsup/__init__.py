from .batch_shuffle import ShuffleState, batch_shuffle, batch_unshuffle
from .masa import MASA, masked_mean
from .momentum_encoder import MomentumEncoder

__all__ = [
    'MASA', 'MomentumEncoder', 'masked_mean', 'ShuffleState',
    'batch_shuffle', 'batch_unshuffle'
]
