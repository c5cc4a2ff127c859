# Demo: MASA pre-training of the small model on the embedded SYNTHETIC sign
# set (tools/data/make_synthetic_signs.py; labels unused). Minutes on 2 CPU
# cores; run by tools/run_demo.py.
_base_ = ['../masa_pretrain_wlasl.py', '../_base_/models/masa_small.py']
ann_file = 'data/synthetic/synthetic_signs.pkl'
max_epochs = 30
model = dict(
    backbone=_base_.small_backbone,
    neck=_base_.small_neck,
    mask_head=_base_.small_mask_head,
    align_head=dict(_base_.small_align_head, queue_len=256))
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        type='ISLRDataset', ann_file=ann_file, split='train',
        num_classes=None))
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-2,
        by_epoch=True,
        begin=0,
        end=3,
        convert_to_iter_based=True),
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        by_epoch=True,
        begin=3,
        end=max_epochs,
        convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(lr=1e-3))
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=8)
]
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=max_epochs, max_keep_ckpts=1))
