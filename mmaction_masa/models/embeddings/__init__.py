from .pose_embedding import (BODY_GROUPS, HAND_GROUPS, PART_GROUPS, GraphConv,
                             PartGCN, PoseEmbedding, group_adjacency)
from .temporal_conv import TemporalConv

__all__ = [
    'PoseEmbedding', 'PartGCN', 'GraphConv', 'HAND_GROUPS', 'BODY_GROUPS',
    'PART_GROUPS', 'group_adjacency', 'TemporalConv'
]
