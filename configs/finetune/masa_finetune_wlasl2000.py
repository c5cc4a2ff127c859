# MASA fine-tuning on WLASL2000: MASA pre-trained backbone + linear classifier.
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/wlasl/wlasl2000.pkl'
model = dict(cls_head=dict(num_classes=2000))
_dataset = dict(type='WLASLDataset', ann_file=ann_file, subset=2000)
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = dict(dataset=_dataset)
# Checkpoint selection on the val split (never on test).
default_hooks = dict(checkpoint=dict(save_best='auto'))
