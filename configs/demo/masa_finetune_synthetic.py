# Demo: fine-tune and test the small MASA on the embedded SYNTHETIC sign set,
# starting from configs/demo/masa_pretrain_synthetic.py's checkpoint.
_base_ = ['../_base_/masa_finetune.py', '../_base_/models/masa_small.py']
ann_file = 'data/synthetic/synthetic_signs.pkl'
pretrained = 'work_dirs/demo/pretrain/epoch_30.pth'
max_epochs = 30
model = dict(
    backbone=dict(
        _base_.small_backbone,
        init_cfg=dict(
            type='Pretrained', checkpoint=pretrained, prefix='backbone.')),
    cls_head=dict(num_classes=10, in_channels=_base_.small_dims))
_loader = dict(batch_size=32, num_workers=0, persistent_workers=False)
train_dataloader = dict(
    **_loader, dataset=dict(ann_file=ann_file, num_classes=None))
test_dataloader = dict(
    **_loader, dataset=dict(ann_file=ann_file, num_classes=None))
# No val split: no validation, the last checkpoint (never select on test).
val_dataloader = None
val_cfg = None
val_evaluator = None
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20], gamma=0.1)
]
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=max_epochs, max_keep_ckpts=1, save_best=None))
