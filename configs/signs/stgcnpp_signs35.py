# MMAction2's ST-GCN++ (base width 32) on the signer-independent 35-gloss task
# of ../shared/data/real/signs_multisigner_dev.pkl, same data and mirroring as
# configs/signs/masa_finetune_signs35.py.
_base_ = ['../dev/stgcnpp_wlasl50dev.py']
ann_file = '../shared/data/real/signs_multisigner_dev.pkl'
max_epochs = 15
model = dict(cls_head=dict(num_classes=35))
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
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=max_epochs,
        by_epoch=True,
        convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
