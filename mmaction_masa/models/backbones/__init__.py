from .masa_backbone import MASABackbone, gather_visible
from .sign_stgcn import SIGN_LAYOUT_NAME, SignSTGCN

__all__ = ['MASABackbone', 'gather_visible', 'SignSTGCN', 'SIGN_LAYOUT_NAME']
