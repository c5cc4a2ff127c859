from .batch_shuffle import ShuffleState, batch_shuffle, batch_unshuffle
from .masa import MASA
from .sequence_encoder import SequenceEncoder

__all__ = [
    'MASA', 'SequenceEncoder', 'ShuffleState', 'batch_shuffle',
    'batch_unshuffle'
]
