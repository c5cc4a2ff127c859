# Validation screen: every ingredient at once -- RandomTimeWarp and
# RandomJointDrop before part normalisation, RandomPoseAffine after frame
# sampling, label smoothing 0.1, stochastic depth 0.2, and mirror test-time
# augmentation -- with the 15-epoch SGD schedule.
_base_ = ['../masa_finetune_signs35_val.py']
train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='RandomMirror', prob=0.5),
    dict(type='RandomTimeWarp'),
    dict(type='RandomJointDrop'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32),
    dict(type='RandomPoseAffine'),
    dict(type='PackSignInputs')
]
test_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32, test_mode=True),
    dict(type='MirrorTestViews'),
    dict(type='PackSignInputs')
]
model = dict(
    backbone=dict(drop_path_rate=0.2), cls_head=dict(label_smooth_eps=0.1))
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=test_pipeline)))
