# Table VIII: MA only (no SA branch, no second view).
_base_ = ['../masa_pretrain_wlasl.py']
train_dataloader = dict(
    dataset=dict(pipeline=[
        *_base_.pose_stages,
        _base_.motion_mask,
        dict(_base_.pack_ma_sa, algorithm_keys=(
            'motion_mask', 'motion_target', 'motion_weight', 'joint_weight'))
    ]))
model = dict(align_head=None)
custom_hooks = []
