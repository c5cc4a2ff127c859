# Fine-tune + test the small MASA on the signer-independent 35-gloss task of
# ../shared/data/real/signs_multisigner_dev.pkl (9,979 train clips of 129
# sources, 3,175 test clips of 44 others) with the sign-recognition recipe
# (ours; configs/_base_/recipes/sign_recipe.py: time warp and affine pose
# augmentation, stochastic depth 0.2, mirror test-time augmentation), chosen
# on the validation split of the training sources (configs/signs/val/).
# masa_finetune_signs35_plain.py is the switch back to the paper's recipe.
# Pre-trained backbone from configs/signs/masa_pretrain_signs.py; from
# scratch:
#   --cfg-options model.backbone.init_cfg=None
_base_ = ['masa_finetune_signs35_plain.py', '../_base_/recipes/sign_recipe.py']
model = _base_.recipe_model
train_dataloader = dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
