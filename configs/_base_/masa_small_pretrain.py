# The small MASA (models/masa_small.py) in MASA pre-training
# (models/masa_pretrain.py, datasets/islr_pretrain.py: whole clips, MA + SA),
# without a schedule, for CPU runs: batches of 32 loaded in the main process,
# an SA queue of 256 keys (for sets of a few hundred clips; a large corpus
# sets the paper's 6,144), a log line every 5 iterations, one checkpoint
# kept (MMEngine's CheckpointHook, as configs/masa_pretrain_wlasl.py, which
# these runs inherited before). Children add a schedule
# (schedules/pretrain_adamw_small_*e.py), the data (ann_file, split,
# num_classes), AlignWeightRampHook's ramp for their length and the
# checkpoint interval. Used by configs/demo/, configs/dev/ and
# configs/signs/.
_base_ = [
    'default_runtime.py', 'models/masa_pretrain.py', 'models/masa_small.py',
    'datasets/islr_pretrain.py'
]
model = dict(
    backbone=_base_.small_backbone,
    neck=_base_.small_neck,
    mask_head=_base_.small_mask_head,
    align_head=dict(_base_.small_align_head, queue_len=256))
train_dataloader = dict(batch_size=32, num_workers=0, persistent_workers=False)
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(
        type='CheckpointHook',
        save_best=None,
        max_keep_ckpts=1,
        save_last=True))
