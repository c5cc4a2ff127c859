# ST-GCN++ (MMAction2) on the 49-joint sign layout, WLASL100.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/stgcnpp_sign.py',
    '../_base_/datasets/islr_finetune.py',
    '../_base_/schedules/stgcnpp_sgd_cosine.py'
]
ann_file = 'data/wlasl/wlasl2000.pkl'
model = dict(cls_head=dict(num_classes=100))
_dataset = dict(type='WLASLDataset', ann_file=ann_file, subset=100)
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = dict(dataset=_dataset)
# Checkpoint selection on the val split (never on test).
default_hooks = dict(checkpoint=dict(save_best='auto'))
