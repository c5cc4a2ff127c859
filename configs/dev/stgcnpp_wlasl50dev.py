# The ST-GCN++ baseline (MMAction2's, 49-joint sign layout) on the real
# wlasl50_dev.pkl (25 glosses, 158 train / 54 test clips). Half of
# MMAction2's channel widths (base_channels=32, 1/4 of the FLOPs) so that
# three seeds fit a 2-core CPU; configs/baselines/ are full width.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/stgcnpp_sign.py',
    '../_base_/datasets/islr_finetune.py',
    '../_base_/schedules/stgcnpp_sgd_cosine.py'
]
ann_file = '../shared/data/real/wlasl50_dev.pkl'
max_epochs = 40
model = dict(
    backbone=dict(base_channels=32),
    cls_head=dict(num_classes=25, in_channels=128))
_loader = dict(batch_size=32, num_workers=0, persistent_workers=False)
train_dataloader = dict(
    **_loader, dataset=dict(ann_file=ann_file, num_classes=25))
test_dataloader = dict(
    **_loader, dataset=dict(ann_file=ann_file, num_classes=25))
# No val split: no validation, the last checkpoint (never select on test).
val_dataloader = None
val_cfg = None
val_evaluator = None
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=max_epochs,
        by_epoch=True,
        convert_to_iter_based=True)
]
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=max_epochs, max_keep_ckpts=1, save_best=None))
