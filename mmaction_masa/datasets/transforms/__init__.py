"""Sign-pose transforms: joint selection, part normalisation, sampling,
MASA's motion-aware mask and second view, noise and packing."""
from .formatting import PackSignInputs
from .mirror import RandomMirror
from .motion_aware_mask import MotionAwareMask
from .noise import PoseGaussianNoise
from .part_normalize import PartNormalize
from .random_temporal_sample import RandomTemporalSample
from .sampling import SignSampleFrames, StrideCapFrames
from .sign_joints import SelectSignJoints

__all__ = [
    'SelectSignJoints', 'PartNormalize', 'SignSampleFrames', 'StrideCapFrames',
    'RandomTemporalSample', 'MotionAwareMask', 'PoseGaussianNoise',
    'RandomMirror', 'PackSignInputs'
]
