# Table VI: random masking, joint reconstruction target.
_base_ = ['../masa_pretrain_wlasl.py']
train_dataloader = dict(
    dataset=dict(pipeline=[
        *_base_.pose_stages,
        dict(_base_.motion_mask, strategy='random'),
        _base_.second_view,
        _base_.pack_ma_sa
    ]))
model = dict(mask_head=dict(target='joint'))
