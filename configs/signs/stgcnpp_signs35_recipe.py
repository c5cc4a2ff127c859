# The honesty control: MMAction2's ST-GCN++ on the 35-gloss task given the
# same help as the MASA recipe (configs/_base_/recipes/sign_recipe.py: the
# same pose augmentation and mirror test-time augmentation; stochastic depth
# belongs to the Transformer and has no ST-GCN++ counterpart).
_base_ = ['stgcnpp_signs35.py', '../_base_/recipes/sign_recipe.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
