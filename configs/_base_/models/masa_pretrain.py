# MASA pre-training model (paper Sec. III). Paper values: D_e = 1536,
# mu = 0.996, K = 6144, tau = 0.07, lambda_s -> 0.05. Values the paper leaves
# open follow the authors' released code (3 encoder / 2 decoder blocks,
# 8 heads, FFN 2048, projector 1536 -> 512 -> 128), except the decoder width
# (512, ours); see the README table.
_base_ = ['masa_backbone.py']
embed_dims = _base_.embed_dims
model = dict(
    type='MASA',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=_base_.masa_backbone,
    # A light MAE-style decoder (ours; the released code decodes at the
    # encoder width): encoder tokens are projected 1536 -> 512.
    mask_head=dict(
        type='MotionPredictionHead',
        embed_dims=embed_dims,
        decoder_dims=512,
        num_layers=2,
        num_heads=8,
        feedforward_channels=2048,
        dropout=0.1,
        target='motion'),
    align_head=dict(
        type='MomentumAlignmentHead',
        in_channels=embed_dims,
        hid_channels=512,
        out_channels=128,
        queue_len=6144,
        temperature=0.07),
    momentum=0.996,
    # lambda_s starts at 0; AlignWeightRampHook ramps it to 0.05.
    align_weight=0.0)
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=100)
]
