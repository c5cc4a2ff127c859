"""MMAction2's ST-GCN / ST-GCN++ on the 49-joint sign layout."""
from typing import Dict

from mmaction.models.backbones import STGCN
from mmaction.registry import MODELS
from mmaction_masa.sign_layout import SIGN_GRAPH_LAYOUT

__all__ = ['SignSTGCN', 'SIGN_LAYOUT_NAME']

#: Graph layout name that :class:`SignSTGCN` resolves to
#: :data:`mmaction_masa.sign_layout.SIGN_GRAPH_LAYOUT`.
SIGN_LAYOUT_NAME = 'sign49'


@MODELS.register_module()
class SignSTGCN(STGCN):
    """MMAction2's :class:`~mmaction.models.STGCN`, unchanged, with one more
    graph layout name: ``graph_cfg=dict(layout='sign49', ...)`` is the body
    chain + both hands' 21-joint trees attached at the wrists of
    :mod:`mmaction_masa.sign_layout`.

    The name exists because MMEngine's text configs cannot import the
    layout dict in a file that other configs inherit from. With
    ``gcn_adaptive='init'``, ``gcn_with_res=True`` and ``tcn_type='mstcn'``
    this is ST-GCN++.

    Args:
        graph_cfg (dict): MMAction2 ``Graph`` arguments; ``layout`` may be
            ``'sign49'`` or anything ``Graph`` accepts.
        **kwargs: Every other :class:`~mmaction.models.STGCN` argument.
    """

    def __init__(self, graph_cfg: Dict, **kwargs) -> None:
        if graph_cfg.get('layout') == SIGN_LAYOUT_NAME:
            graph_cfg = dict(graph_cfg, layout=SIGN_GRAPH_LAYOUT)
        super().__init__(graph_cfg=graph_cfg, **kwargs)
