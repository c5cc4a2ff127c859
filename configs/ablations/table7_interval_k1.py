# Table VII: motion interval k = 1 (default 3).
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages,
    dict(_base_.motion_mask, interval=1), _base_.second_view, _base_.pack_ma_sa
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
