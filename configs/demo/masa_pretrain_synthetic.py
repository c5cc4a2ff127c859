# Demo: MASA pre-training of the small model on the embedded SYNTHETIC sign
# set (tools/data/make_synthetic_signs.py; labels unused). Minutes on 2 CPU
# cores; run by tools/run_demo.py.
_base_ = [
    '../_base_/masa_small_pretrain.py',
    '../_base_/schedules/pretrain_adamw_small_30e.py'
]
ann_file = 'data/synthetic/synthetic_signs.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=None))
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=8)
]
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
