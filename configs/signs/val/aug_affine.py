# Validation screen: the 35-gloss recipe + RandomPoseAffine (its defaults)
# after frame sampling, on the part-normalised poses.
_base_ = ['../masa_finetune_signs35_val.py']
train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='RandomMirror', prob=0.5),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32),
    dict(type='RandomPoseAffine'),
    dict(type='PackSignInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
