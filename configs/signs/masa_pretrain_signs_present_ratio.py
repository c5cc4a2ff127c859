# Beyond the paper: Algorithm 1's motion ratio over the joints present in
# both frames only (MediaPipe reports an undetected hand as zeros with score
# 0, which otherwise keeps most frames out of the candidate set).
_base_ = ['masa_pretrain_signs.py']
_pipeline = [
    *_base_.train_dataloader.dataset.pipeline[:4],
    dict(_base_.motion_mask, count_missing=False),
    *_base_.train_dataloader.dataset.pipeline[5:]
]
train_dataloader = dict(dataset=dict(pipeline=_pipeline))
