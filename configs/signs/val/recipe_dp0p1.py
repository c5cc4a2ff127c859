# Validation screen: the recipe (recipe_dp.py) with stochastic depth 0.1
# instead of 0.2.
_base_ = ['recipe_dp.py']
model = dict(backbone=dict(drop_path_rate=0.1))
