# Validation screen: the 35-gloss recipe + weight averaging with MMEngine's
# EMAHook (momentum 0.001 a step: a horizon of about 4 of the 15 epochs);
# validation and testing use the averaged weights.
_base_ = ['../masa_finetune_signs35_val.py']
custom_hooks = [
    *_base_.custom_hooks,
    dict(type='EMAHook', momentum=0.001, priority='ABOVE_NORMAL')
]
