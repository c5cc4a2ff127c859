# Switch: pre-train on clips resampled to 32 frames (random segment sampling,
# repeated frames for shorter clips) instead of whole clips at their own
# frame rate. This changes what k = 3 and epsilon_m mean: k spans 0-3 frames
# of a short clip and 10-18 of a long one.
_base_ = ['../masa_pretrain_islr4.py']
_pipeline = [
    *_base_.pose_stages[:-1], _base_.resample_32, _base_.motion_mask,
    _base_.second_view, _base_.pack_ma_sa
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_pipeline)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
