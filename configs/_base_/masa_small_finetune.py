# The small MASA (models/masa_small.py: token width 192, 2 encoder blocks) in
# the fine-tuning recipe of masa_finetune.py (pre-trained backbone, 32-frame
# clips), without a schedule, for CPU runs: batches of 32 loaded in the main
# process, a log line every 5 iterations, one checkpoint kept. Children add
# a schedule (schedules/finetune_sgd_*e.py), the data (ann_file,
# num_classes) and the pre-trained checkpoint
# (model.backbone.init_cfg.checkpoint); a set without a val split sets
# val_dataloader = val_cfg = val_evaluator = None (no validation, the last
# checkpoint: never select on test). Used by configs/demo/, configs/dev/
# and configs/signs/.
_base_ = [
    'default_runtime.py', 'models/masa_recognizer_pretrained.py',
    'models/masa_small.py', 'datasets/islr_finetune.py'
]
model = dict(
    backbone=_base_.small_backbone,
    cls_head=dict(in_channels=_base_.small_dims))
_loader = dict(batch_size=32, num_workers=0, persistent_workers=False)
train_dataloader = dict(**_loader)
val_dataloader = dict(**_loader)
test_dataloader = dict(**_loader)
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(max_keep_ckpts=1, save_best=None))
