# Fine-tune + test the small MASA on the real wlasl50_dev.pkl (25 glosses,
# 158 train / 54 test clips) from configs/dev/masa_pretrain_wlasl50dev.py.
# From scratch: --cfg-options model.backbone.init_cfg=None
_base_ = ['../demo/masa_finetune_synthetic.py']
ann_file = '../shared/data/real/wlasl50_dev.pkl'
pretrained = 'work_dirs/dev/masa_pretrain/epoch_60.pth'
max_epochs = 40
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(num_classes=25))
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
test_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20, 30], gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
