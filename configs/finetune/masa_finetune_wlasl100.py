# MASA fine-tuning on WLASL100: MASA pre-trained backbone + linear classifier.
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/wlasl/wlasl2000.pkl'
model = dict(cls_head=dict(num_classes=100))
train_dataloader = dict(
    dataset=dict(type='WLASLDataset', ann_file=ann_file, subset=100))
val_dataloader = dict(
    dataset=dict(type='WLASLDataset', ann_file=ann_file, subset=100))
test_dataloader = val_dataloader
