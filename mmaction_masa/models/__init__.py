"""MASA's model components, registered in ``mmaction.registry.MODELS``."""
from .backbones import MASABackbone, gather_visible
from .embeddings import (BODY_GROUPS, HAND_GROUPS, PART_GROUPS, GraphConv,
                         PartGCN, PoseEmbedding, group_adjacency)
from .heads import MomentumAlignmentHead, MotionPredictionHead, info_nce
from .losses import MotionPredictionLoss
from .necks import MotionDecoder
from .selfsup import (MASA, SequenceEncoder, ShuffleState, batch_shuffle,
                      batch_unshuffle)
from .utils import (FastDropout, all_gather_batch, autocast_off,
                    loads_pretrained, masked_mean, xavier_init_)

__all__ = [
    'PoseEmbedding', 'PartGCN', 'GraphConv', 'HAND_GROUPS', 'BODY_GROUPS',
    'PART_GROUPS', 'group_adjacency', 'MASABackbone', 'gather_visible',
    'MotionDecoder', 'MotionPredictionHead', 'MotionPredictionLoss',
    'MomentumAlignmentHead', 'info_nce', 'MASA', 'SequenceEncoder',
    'masked_mean', 'ShuffleState', 'batch_shuffle', 'batch_unshuffle',
    'loads_pretrained', 'xavier_init_', 'all_gather_batch', 'autocast_off',
    'FastDropout'
]
