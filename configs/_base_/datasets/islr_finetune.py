# Supervised ISLR data: 32 frames, random segment sampling for training,
# centre sampling for testing (paper Sec. III-D). Train on 'train', select
# checkpoints on 'val', report on 'test'. Children set the dataset type,
# annotation file and subset by merging into the three dataloaders; a
# benchmark without a val split sets val_dataloader = val_cfg =
# val_evaluator = None (and keeps the last checkpoint).
dataset_type = 'ISLRDataset'
ann_file = 'data/islr/annotations.pkl'
clip_len = 32

train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=clip_len),
    dict(type='PackSignInputs')
]
test_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=clip_len, test_mode=True),
    dict(type='PackSignInputs')
]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='train',
        pipeline=train_pipeline))
_eval_loader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
val_dataloader = dict(
    **_eval_loader,
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='val',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = dict(
    **_eval_loader,
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='test',
        pipeline=test_pipeline,
        test_mode=True))

val_evaluator = dict(type='ISLRMetric', topk=(1, 5))
test_evaluator = val_evaluator
