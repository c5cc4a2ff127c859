# ST-GCN++ (MMAction2) on the 49-joint sign layout, WLASL300.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/stgcnpp_sign.py',
    '../_base_/datasets/islr_finetune.py',
    '../_base_/schedules/stgcnpp_sgd_cosine.py'
]
ann_file = 'data/wlasl/wlasl2000.pkl'
model = dict(cls_head=dict(num_classes=300))
train_dataloader = dict(
    dataset=dict(type='WLASLDataset', ann_file=ann_file, subset=300))
val_dataloader = dict(
    dataset=dict(type='WLASLDataset', ann_file=ann_file, subset=300))
test_dataloader = val_dataloader
