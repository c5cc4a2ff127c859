# MMAction2's ST-GCN++ on the 49-joint sign layout (models/stgcnpp_sign.py)
# at half of MMAction2's channel widths (base_channels=32, 1/4 of the FLOPs)
# for CPU runs, without a schedule: the data pipelines of
# datasets/islr_finetune.py, batches of 32 loaded in the main process, a log
# line every 5 iterations, one checkpoint kept. Children add a schedule
# (schedules/stgcnpp_sgd_cosine_*e.py), the data (ann_file, num_classes,
# cls_head.num_classes) and, for a set without a val split,
# val_dataloader = val_cfg = val_evaluator = None. configs/baselines/ are
# full width. Used by configs/dev/ and configs/signs/.
_base_ = [
    'default_runtime.py', 'models/stgcnpp_sign.py', 'datasets/islr_finetune.py'
]
model = dict(backbone=dict(base_channels=32), cls_head=dict(in_channels=128))
_loader = dict(batch_size=32, num_workers=0, persistent_workers=False)
train_dataloader = dict(**_loader)
val_dataloader = dict(**_loader)
test_dataloader = dict(**_loader)
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(max_keep_ckpts=1, save_best=None))
