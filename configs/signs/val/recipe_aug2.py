# Validation screen: RandomTimeWarp before part normalisation and
# RandomPoseAffine after frame sampling (the two augmentations that helped
# alone), no label smoothing (it hurt alone), mirror test-time augmentation;
# the 15-epoch SGD schedule.
_base_ = ['../masa_finetune_signs35_val.py']
train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='RandomMirror', prob=0.5),
    dict(type='RandomTimeWarp'),
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
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=test_pipeline)))
