# Validation screen, test time only: 5 clips (num_clips=5,
# average_clips='prob'), softmax-averaged by the head.
# Test a checkpoint of masa_finetune_signs35_val.py with it.
_base_ = ['../masa_finetune_signs35_val.py']
test_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32, test_mode=True, num_clips=5),
    dict(type='PackSignInputs')
]
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=test_pipeline)))
