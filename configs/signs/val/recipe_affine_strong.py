# Validation screen: the recipe (recipe_dp.py) with twice RandomPoseAffine's
# default ranges (whole pose: scale 0.7-1.3, rotation +-30 degrees, shear
# +-0.2, translation +-20; each hand: scale 0.8-1.2, rotation +-30, shear
# +-0.2).
_base_ = ['recipe_dp.py']
strong_affine = dict(
    type='RandomPoseAffine',
    scale=(0.7, 1.3),
    rotation=(-30.0, 30.0),
    shear=(-0.2, 0.2),
    translation=(-20.0, 20.0),
    hand_scale=(0.8, 1.2),
    hand_rotation=(-30.0, 30.0),
    hand_shear=(-0.2, 0.2))
train_pipeline = [
    *_base_.train_pipeline[:5], strong_affine, _base_.train_pipeline[-1]
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
