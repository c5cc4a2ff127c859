# Validation screen: the recipe (recipe_dp.py) + the released code's temporal
# convolutions (kernels 5, 3, 3, residual) after the frame-wise embedding
# (+1.4 / +2.0 points alone, tconv.py).
_base_ = ['recipe_dp.py']
model = dict(
    backbone=dict(temporal_conv=dict(type='TemporalConv', kernels=(5, 3, 3))))
