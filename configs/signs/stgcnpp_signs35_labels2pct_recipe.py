# The ST-GCN++ control at 2 % of the labels given the same help as the MASA
# recipe (configs/_base_/recipes/sign_recipe.py: pose augmentation and mirror
# test-time augmentation; stochastic depth has no ST-GCN++ counterpart).
_base_ = ['stgcnpp_signs35_labels2pct.py', '../_base_/recipes/sign_recipe.py']
train_dataloader = dict(
    dataset=dict(
        dataset=dict(dataset=dict(pipeline=_base_.recipe_train_pipeline))))
test_dataloader = dict(dataset=dict(pipeline=_base_.recipe_test_pipeline))
