# Beyond the paper (its future work): a multi-scale motion target, residuals
# at k = 1, 3 and 5 predicted by one decoder (the mask still uses k = 3).
_base_ = ['masa_pretrain_signs.py']
_pipeline = [
    *_base_.train_dataloader.dataset.pipeline[:4],
    dict(_base_.motion_mask, target_intervals=(1, 3, 5)),
    *_base_.train_dataloader.dataset.pipeline[5:]
]
train_dataloader = dict(dataset=dict(pipeline=_pipeline))
model = dict(mask_head=dict(num_scales=3))
