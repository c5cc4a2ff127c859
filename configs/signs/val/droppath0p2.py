# Validation screen: the 35-gloss recipe + stochastic depth in the encoder
# (MASABackbone(drop_path_rate=0.2): 0 in the first of the small model's two
# blocks, 0.2 in the second).
_base_ = ['../masa_finetune_signs35_val.py']
model = dict(backbone=dict(drop_path_rate=0.2))
