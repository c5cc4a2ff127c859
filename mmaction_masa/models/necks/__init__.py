"""Necks of MASA (the target decoder of the MA module)."""
from .motion_decoder import MotionDecoder

__all__ = ['MotionDecoder']
