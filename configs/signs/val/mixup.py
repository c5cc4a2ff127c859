# Validation screen: the 35-gloss recipe + Mixup (alpha 0.2) through
# MMAction2's ActionDataPreprocessor(blending=...); CutMix cuts image boxes
# and has no meaning on a (T, V, C) pose tensor.
_base_ = ['../masa_finetune_signs35_val.py']
model = dict(
    data_preprocessor=dict(
        blending=dict(type='MixupBlending', num_classes=35, alpha=0.2)))
