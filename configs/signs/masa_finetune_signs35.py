# Fine-tune + test the small MASA on the signer-independent task of
# ../shared/data/real/signs_multisigner_dev.pkl: the 35 glosses recorded by
# >= 8 sources, split by source (9,979 train clips of 129 sources, 3,175
# test clips of 44 others). Pre-trained backbone from
# configs/signs/masa_pretrain_signs.py; from scratch:
#   --cfg-options model.backbone.init_cfg=None
_base_ = ['../dev/masa_finetune_wlasl50dev.py']
ann_file = '../shared/data/real/signs_multisigner_dev.pkl'
pretrained = 'work_dirs/signs/pretrain/epoch_20.pth'
max_epochs = 15
model = dict(
    backbone=dict(init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(num_classes=35))
_dataset = dict(ann_file=ann_file, num_classes=339, subset=35)
train_dataloader = dict(
    dataset=dict(
        _dataset,
        pipeline=[
            dict(type='SelectSignJoints'),
            dict(type='RandomMirror', prob=0.5), *_base_.train_pipeline[1:]
        ]))
test_dataloader = dict(dataset=_dataset)
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[8, 11], gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
