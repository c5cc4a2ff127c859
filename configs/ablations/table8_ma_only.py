# Table VIII: MA only (no SA branch, no second view).
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages, _base_.motion_mask,
    dict(
        _base_.pack_ma_sa,
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight'))
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
model = dict(align_head=None)
custom_hooks = []
