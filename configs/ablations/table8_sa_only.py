# Table VIII: SA only (no masking; the query encodes every frame).
# L = L_s alone, so lambda_s is fixed at 1 (no ramp).
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages, _base_.second_view,
    dict(_base_.pack_ma_sa, algorithm_keys=('view2', ))
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
model = dict(neck=None, mask_head=None, align_weight=1.0)
custom_hooks = []
