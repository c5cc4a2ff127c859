# Fine-tune + test the small MASA on the real wlasl50_dev.pkl (25 glosses,
# 158 train / 54 test clips) from configs/dev/masa_pretrain_wlasl50dev.py,
# with the sign-recognition recipe (ours; configs/_base_/recipes/
# sign_recipe.py: random mirroring, time warp and affine pose augmentation,
# stochastic depth 0.2, mirror test-time augmentation).
# masa_finetune_wlasl50dev_plain.py is the switch back to the paper's recipe.
# From scratch: --cfg-options model.backbone.init_cfg=None
_base_ = [
    'masa_finetune_wlasl50dev_plain.py', '../_base_/recipes/sign_recipe.py'
]
model = _base_.recipe_model
train_dataloader = dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
