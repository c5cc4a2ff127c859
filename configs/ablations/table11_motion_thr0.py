# Table XI: epsilon_m = 0 (default 5).
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages,
    dict(_base_.motion_mask, motion_thr=0.0), _base_.second_view,
    _base_.pack_ma_sa
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
