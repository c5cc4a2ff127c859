# MASA fine-tuning on MSASL200: MASA pre-trained backbone + linear classifier.
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/msasl/msasl1000.pkl'
model = dict(cls_head=dict(num_classes=200))
_dataset = dict(type='MSASLDataset', ann_file=ann_file, subset=200)
train_dataloader = dict(dataset=_dataset)
val_dataloader = dict(dataset=_dataset)
test_dataloader = dict(dataset=_dataset)
# Checkpoint selection on the val split (never on test).
default_hooks = dict(checkpoint=dict(save_best='auto'))
