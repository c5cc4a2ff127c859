# The ST-GCN++ baseline (MMAction2's, 49-joint sign layout) on the real
# wlasl50_dev.pkl (25 glosses, 158 train / 54 test clips). Half of
# MMAction2's channel widths (_base_/stgcnpp_small.py: base_channels=32, 1/4
# of the FLOPs) so that three seeds fit a 2-core CPU; configs/baselines/ are
# full width.
_base_ = [
    '../_base_/stgcnpp_small.py',
    '../_base_/schedules/stgcnpp_sgd_cosine_40e.py'
]
ann_file = '../shared/data/real/wlasl50_dev.pkl'
model = dict(cls_head=dict(num_classes=25))
train_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
test_dataloader = dict(dataset=dict(ann_file=ann_file, num_classes=25))
# No val split: no validation, the last checkpoint (never select on test).
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
