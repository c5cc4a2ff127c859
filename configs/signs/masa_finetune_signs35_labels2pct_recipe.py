# The sign-recognition recipe (configs/_base_/recipes/sign_recipe.py, ours)
# on the label-scarce 35-gloss task: 2 % of each gloss's training clips
# (masa_finetune_signs35_labels2pct.py: the same 198 clips for every run,
# repeated 10 times per epoch). Pre-trained (model.backbone.init_cfg) or from
# scratch (--cfg-options model.backbone.init_cfg=None).
_base_ = [
    'masa_finetune_signs35_labels2pct.py', '../_base_/recipes/sign_recipe.py'
]
model = _base_.recipe_model
train_dataloader = dict(
    dataset=dict(
        dataset=dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
