# MASA pre-training (small model) on the training clips of the real
# ../shared/data/real/wlasl50_dev.pkl (25 WLASL glosses, 158 train clips;
# labels unused). Used by the tests and the real-data evaluation.
_base_ = ['../demo/masa_pretrain_synthetic.py']
ann_file = '../shared/data/real/wlasl50_dev.pkl'
max_epochs = 60
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-2,
        by_epoch=True,
        begin=0,
        end=6,
        convert_to_iter_based=True),
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        by_epoch=True,
        begin=6,
        end=max_epochs,
        convert_to_iter_based=True)
]
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=15)
]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
