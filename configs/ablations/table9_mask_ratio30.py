# Table IX: mask ratio alpha = 0.3 (default 0.9). The 0% row is
# fine-tuning without pre-training: finetune config with
# --cfg-options model.backbone.init_cfg=None.
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages,
    dict(_base_.motion_mask, mask_ratio=0.3), _base_.second_view,
    _base_.pack_ma_sa
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
