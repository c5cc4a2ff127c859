from .masa_backbone import MASABackbone, gather_visible

__all__ = ['MASABackbone', 'gather_visible']
