# Recipe ablation at 2 % of the labels (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md):
# masa_finetune_signs35_labels2pct.py + the recipe's stochastic depth (0.2)
# in the MASA encoder.
_base_ = [
    '../masa_finetune_signs35_labels2pct.py',
    '../../_base_/recipes/sign_recipe.py'
]
model = _base_.recipe_model
