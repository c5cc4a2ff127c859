# masa_recognizer.py with its backbone loaded from a MASA pre-training
# checkpoint (the embedding + encoder; paper Sec. III-D). Point it at yours
# with --cfg-options model.backbone.init_cfg.checkpoint=PATH
# (``init_cfg=None`` trains from scratch). Linear probing first (LP-FT, ours,
# off: the paper fine-tunes everything from the first step): the backbone
# frozen for the first N epochs with --cfg-options custom_hooks.0.epochs=N.
_base_ = ['masa_recognizer.py']
pretrained = 'work_dirs/masa_pretrain_islr4/epoch_400.pth'
model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained', checkpoint=pretrained, prefix='backbone.')))
custom_hooks = [dict(type='FreezeBackboneHook', epochs=0)]
