# Validation screen: the recipe -- recipe_aug2.py (time warp + affine
# augmentation, mirror test-time augmentation) -- plus stochastic depth 0.2.
_base_ = ['recipe_aug2.py']
model = dict(backbone=dict(drop_path_rate=0.2))
