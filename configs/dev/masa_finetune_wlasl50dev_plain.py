# Fine-tune + test the small MASA on the real wlasl50_dev.pkl (25 glosses,
# 158 train / 54 test clips) from configs/dev/masa_pretrain_wlasl50dev.py.
# From scratch: --cfg-options model.backbone.init_cfg=None
# The paper's fine-tuning recipe (32 sampled frames, SGD steps, one test
# clip): the control of masa_finetune_wlasl50dev.py (which adds our
# sign-recognition recipe) and the config of the rows recorded before it.
_base_ = [
    '../_base_/masa_small_finetune.py',
    '../_base_/schedules/finetune_sgd_40e.py'
]
ann_file = '../shared/data/real/wlasl50_dev.pkl'
pretrained = 'work_dirs/dev/masa_pretrain/epoch_60.pth'
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(num_classes=25))
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
test_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
# No val split: no validation, the last checkpoint (never select on test).
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
