# The small MASA on the signer-independent 35-gloss task with the
# sign-recognition recipe (configs/_base_/recipes/sign_recipe.py: time warp
# and affine pose augmentation, stochastic depth 0.2, mirror test-time
# augmentation; ours).
# Otherwise as masa_finetune_signs35.py (15 epochs, SGD steps at 8 and 11).
# From scratch: --cfg-options model.backbone.init_cfg=None
_base_ = ['masa_finetune_signs35.py', '../_base_/recipes/sign_recipe.py']
model = _base_.recipe_model
train_dataloader = dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
