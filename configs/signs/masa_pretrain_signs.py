# MASA pre-training (small model) on the 20,624 real MediaPipe sign clips of
# 175 signers, ../shared/data/real/signs_multisigner_dev.pkl, split 'pretrain'
# (labels unused). Random left/right mirroring (handedness differs between
# sources); the health monitor probes the wlasl50_dev clips every epoch.
# For speed on CPU (measured: benchmarks/train_throughput.py): batches of clips
# of similar length (LengthGroupedBatchSampler: 86 % of the clips have 30
# frames, random batches of 32 pad to ~60) and a decoder as wide as the small
# encoder (192; the small model otherwise inherits the paper model's 512-wide
# light decoder, 2.7 x the encoder's width). The SA queue has the paper's
# 6,144 keys (the small base's 256 suits sets of a few hundred clips, not
# 20k).
# float32 (the schedule's OptimWrapper): bfloat16 autocast was slower for
# this small model on every CPU measured (benchmarks/train_throughput.py, 2
# threads, AVX-512 / AMX Xeons of three sessions: 125-136 vs 146-147, 161.5
# vs 175, 113-114 vs 128-133 clips/s; ~14 x slower emulated on AVX2). The
# README's corpus pre-trainings on AVX-512 before this release ran under it:
# optim_wrapper.type=BF16AutocastOptimWrapper reproduces them.
# With your own MediaPipe data: set ann_file (and split) -- e.g. a file made
# by tools/data/mp_data_to_ann.py.
#   python tools/train.py configs/signs/masa_pretrain_signs.py \
#       --work-dir /path/outside/the/repo/signs_pretrain   (then --resume)
_base_ = [
    '../_base_/masa_small_pretrain.py',
    '../_base_/schedules/pretrain_adamw_small_20e.py'
]
ann_file = '../shared/data/real/signs_multisigner_dev.pkl'
probe_file = '../shared/data/real/wlasl50_dev.pkl'
_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='RandomMirror', prob=0.5), *_base_.pose_stages[1:],
    _base_.motion_mask, _base_.second_view, _base_.pack_ma_sa
]
model = dict(
    neck=dict(decoder_dims=_base_.small_dims),
    mask_head=dict(in_channels=_base_.small_dims),
    align_head=dict(queue_len=6144))
train_dataloader = dict(
    _delete_=True,
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='LengthGroupedBatchSampler', drop_last=True),
    dataset=dict(
        type='ISLRDataset',
        ann_file=ann_file,
        split='pretrain',
        num_classes=339,
        pipeline=_pipeline))
_probe_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32, test_mode=True),
    dict(type='PackSignInputs')
]
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=5),
    dict(
        type='RepresentationMonitorHook',
        interval=1,
        dataloader=dict(
            batch_size=64,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(
                type='ISLRDataset',
                ann_file=probe_file,
                pipeline=_probe_pipeline,
                test_mode=True)))
]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1, max_keep_ckpts=2, save_last=True))
