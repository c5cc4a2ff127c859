# Validation screen: the 35-gloss recipe + the released code's temporal
# convolutions (kernels 5, 3, 3, residual) after the frame-wise embedding.
_base_ = ['../masa_finetune_signs35_val.py']
model = dict(
    backbone=dict(temporal_conv=dict(type='TemporalConv', kernels=(5, 3, 3))))
