# Demo: fine-tune and test the small MASA on the embedded SYNTHETIC sign set,
# starting from configs/demo/masa_pretrain_synthetic.py's checkpoint.
_base_ = [
    '../_base_/masa_small_finetune.py',
    '../_base_/schedules/finetune_sgd_30e.py'
]
ann_file = 'data/synthetic/synthetic_signs.pkl'
pretrained = 'work_dirs/demo/pretrain/epoch_30.pth'
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(num_classes=10))
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=None))
test_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=None))
# No val split: no validation, the last checkpoint (never select on test).
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
