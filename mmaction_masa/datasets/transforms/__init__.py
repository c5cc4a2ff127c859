"""Sign-pose transforms: joint selection, part normalisation, sampling,
MASA's motion-aware mask and second view, noise, the recipe's augmentations
(affine, time warp, joint drop) and packing."""
from .formatting import PackSignInputs
from .joint_drop import RandomJointDrop
from .mirror import MirrorTestViews, RandomMirror
from .motion_aware_mask import MotionAwareMask
from .noise import PoseGaussianNoise
from .part_normalize import PartNormalize
from .pose_affine import RandomPoseAffine
from .random_temporal_sample import RandomTemporalSample
from .sampling import SignSampleFrames, StrideCapFrames
from .sign_joints import SelectSignJoints
from .time_warp import RandomTimeWarp

__all__ = [
    'SelectSignJoints', 'PartNormalize', 'SignSampleFrames', 'StrideCapFrames',
    'RandomTemporalSample', 'MotionAwareMask', 'PoseGaussianNoise',
    'RandomMirror', 'MirrorTestViews', 'RandomPoseAffine', 'RandomTimeWarp',
    'RandomJointDrop', 'PackSignInputs'
]
