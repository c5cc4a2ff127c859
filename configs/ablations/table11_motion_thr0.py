# Table XI: epsilon_m = 0 (default 5).
_base_ = ['../masa_pretrain_wlasl.py']
train_dataloader = dict(
    dataset=dict(pipeline=[
        *_base_.pose_stages,
        dict(_base_.motion_mask, motion_thr=0.0),
        _base_.second_view,
        _base_.pack_ma_sa
    ]))
