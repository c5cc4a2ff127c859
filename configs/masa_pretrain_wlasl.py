# MASA pre-training on the WLASL clips that are not test (train + val, as
# the released feeders; labels unused).
# Prepare data/wlasl/wlasl2000.pkl with tools/data/build_wlasl.py, then:
#   python tools/train.py configs/masa_pretrain_wlasl.py
_base_ = [
    '_base_/default_runtime.py', '_base_/models/masa_pretrain.py',
    '_base_/datasets/islr_pretrain.py',
    '_base_/schedules/pretrain_adamw_400e.py'
]
ann_file = 'data/wlasl/wlasl2000.pkl'
train_dataloader = dict(
    dataset=dict(
        type='WLASLDataset', ann_file=ann_file, split=('train', 'val')))
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=20,
        save_best=None,
        max_keep_ckpts=3,
        save_last=True))
