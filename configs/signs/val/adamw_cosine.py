# Validation screen: the 35-gloss recipe with AdamW (lr 1e-3, weight decay
# 0.05) and one warm-up epoch then cosine decay, instead of SGD + steps.
_base_ = ['../masa_finetune_signs35_val.py']
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-3,
        weight_decay=0.05,
        betas=(0.9, 0.999)))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=_base_.max_epochs,
        T_max=_base_.max_epochs - 1,
        convert_to_iter_based=True)
]
