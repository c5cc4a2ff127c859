# MASA pre-training model (paper Sec. III). Paper values: D_e = 1536,
# mu = 0.996 (momentum = 1 - mu), K = 6144, tau = 0.07, lambda_s -> 0.05.
# Values the paper leaves open follow the authors' released code (3 encoder /
# 2 decoder blocks, 8 heads, FFN 2048, projector 1536 -> 512 -> 128), except
# the decoder width (512, ours); see the README table.
_base_ = ['masa_backbone.py']
embed_dims = _base_.embed_dims
model = dict(
    type='MASA',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=_base_.masa_backbone,
    # A light MAE-style decoder (ours; the released code decodes at the
    # encoder width): encoder tokens are projected 1536 -> 512.
    neck=dict(
        type='MotionDecoder',
        embed_dims=embed_dims,
        decoder_dims=512,
        num_layers=2,
        num_heads=8,
        feedforward_channels=2048,
        dropout=0.1),
    mask_head=dict(
        type='MotionPredictionHead',
        in_channels=512,
        hidden_channels=512,
        target='motion',
        # Eq. 4 (confidence-weighted L2, 1/L per sequence, then the batch
        # mean) with the residuals in units of the half box and a mean over
        # the 49 x 2 coordinates (ours, measured: the literal sum in
        # [-128, 128] units makes L_m ~4e4 and mutes SA; see README).
        # Switches: coord_scale=1, coord_reduction='sum' is the literal
        # Eq. 4; the released code is criterion='l1', coord_scale=1,
        # loss_weight=10 (+ output_act='relu' on the head).
        loss=dict(
            type='MotionPredictionLoss',
            coord_scale=128.0,
            criterion='l2',
            coord_reduction='mean',
            batch_reduction='sample',
            loss_weight=1.0)),
    align_head=dict(
        type='MomentumAlignmentHead',
        in_channels=embed_dims,
        hid_channels=512,
        out_channels=128,
        queue_len=6144,
        temperature=0.07),
    # 1 - mu (mmengine's EMA convention): mu = 0.996.
    momentum=0.004,
    # lambda_s starts at 0; AlignWeightRampHook ramps it to 0.05.
    align_weight=0.0)
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=100)
]
