# Recipe ablation on the test sources (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md): masa_finetune_signs35_plain.py
# + stochastic depth 0.2 in the MASA encoder, as in the recipe.
_base_ = ['../masa_finetune_signs35_plain.py']
model = dict(backbone=dict(drop_path_rate=0.2))
