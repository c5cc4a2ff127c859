# Table VII: motion interval k = 7 (default 3).
_base_ = ['../masa_pretrain_wlasl.py']
train_dataloader = dict(
    dataset=dict(pipeline=[
        *_base_.pose_stages,
        dict(_base_.motion_mask, interval=7),
        _base_.second_view,
        _base_.pack_ma_sa
    ]))
