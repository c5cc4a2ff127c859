# MASA fine-tuning on SLR500: MASA pre-trained backbone + linear classifier.
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/slr500/slr500.pkl'
model = dict(cls_head=dict(num_classes=500))
_dataset = dict(type='SLR500Dataset', ann_file=ann_file)
train_dataloader = dict(dataset=_dataset)
test_dataloader = dict(dataset=_dataset)
# No val split in this benchmark: no validation, the last checkpoint.
val_dataloader = None
val_cfg = None
val_evaluator = None
