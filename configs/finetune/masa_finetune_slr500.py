# MASA fine-tuning on SLR500: MASA pre-trained backbone + linear classifier.
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/slr500/slr500.pkl'
model = dict(cls_head=dict(num_classes=500))
train_dataloader = dict(
    dataset=dict(type='SLR500Dataset', ann_file=ann_file))
val_dataloader = dict(
    dataset=dict(type='SLR500Dataset', ann_file=ann_file))
test_dataloader = val_dataloader
