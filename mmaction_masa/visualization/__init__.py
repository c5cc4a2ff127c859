"""Pictures of sign pose clips: skeletons, masked frames, predictions.

Below :mod:`mmaction_masa.apis` and :mod:`mmaction_masa.engine`, which both
draw with it.
"""
from .pose_renderer import (COMMON_ASPECTS, FINGER_COLOURS, FINGER_NAMES,
                            PART_COLOURS, VIDEO_FORMATS, MaskedClip,
                            PoseRenderer, apply_motion_mask, bone_parts,
                            bone_widths, display_scale, estimate_aspect,
                            frame_grid, render_clip, render_prediction,
                            skeleton_links, strip_indices, write_animation)

__all__ = [
    'VIDEO_FORMATS', 'FINGER_NAMES', 'FINGER_COLOURS', 'PART_COLOURS',
    'COMMON_ASPECTS', 'MaskedClip', 'bone_parts', 'skeleton_links',
    'bone_widths', 'estimate_aspect', 'display_scale', 'apply_motion_mask',
    'PoseRenderer', 'write_animation', 'render_clip', 'strip_indices',
    'frame_grid', 'render_prediction'
]
