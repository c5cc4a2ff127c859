# Table X: final lambda_s = 0.025 (default 0.05), same 100-epoch ramp.
_base_ = ['../masa_pretrain_islr4.py']
custom_hooks = [
    dict(type='AlignWeightRampHook', max_weight=0.025, ramp_epochs=100)
]
