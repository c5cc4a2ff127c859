# Recipe ablation on the test sources (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md): masa_finetune_signs35_plain.py
# + the recipe's stochastic depth (0.2) in the MASA encoder.
_base_ = [
    '../masa_finetune_signs35_plain.py', '../../_base_/recipes/sign_recipe.py'
]
model = _base_.recipe_model
