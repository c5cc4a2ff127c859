# MASA fine-tuning on NMFs-CSL (1067 classes, trained on all of them).
# Top-1/top-2 as in the paper's Table IV. The confusing / normal settings
# evaluate on the clips of the classes listed in a file of yours:
#   --cfg-options test_dataloader.dataset.subset=confusing \
#       test_dataloader.dataset.confusing_class_file=data/nmfs_csl/confusing.txt
_base_ = ['../_base_/masa_finetune.py']
ann_file = 'data/nmfs_csl/nmfs_csl.pkl'
model = dict(cls_head=dict(num_classes=1067))
_dataset = dict(type='NMFsCSLDataset', ann_file=ann_file, subset='total')
train_dataloader = dict(dataset=_dataset)
test_dataloader = dict(dataset=_dataset)
# No val split in this benchmark: no validation, the last checkpoint.
val_dataloader = None
val_cfg = None
val_evaluator = None
test_evaluator = dict(type='ISLRMetric', topk=(1, 2, 5))
