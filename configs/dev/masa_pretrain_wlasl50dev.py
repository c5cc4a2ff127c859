# MASA pre-training (small model) on the training clips of the real
# ../shared/data/real/wlasl50_dev.pkl (25 WLASL glosses, 158 train clips;
# labels unused). Used by the tests and the real-data evaluation.
_base_ = [
    '../_base_/masa_small_pretrain.py',
    '../_base_/schedules/pretrain_adamw_small_60e.py'
]
ann_file = '../shared/data/real/wlasl50_dev.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=15)
]
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
