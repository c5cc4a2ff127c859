# Self-supervised MASA pre-training data (labels unused): part-wise
# normalisation, whole clips at their own frame rate (capped at 150 frames by
# a uniform stride, right-padded per batch; the released code's choice, the
# paper does not resample), the motion-aware mask of MA (Algorithm 1) and the
# randomly sampled second view of SA (Eq. 5). Switch: ``resample_32``
# (configs/ablations/pretrain_resample32.py) resamples every clip to 32
# frames instead, as this project did before.
# The pipeline is assembled from named stages so that ablation configs can
# swap one stage with ``_base_.<stage>`` (see configs/ablations/).
dataset_type = 'ISLRDataset'
ann_file = 'data/islr/annotations.pkl'
max_frames = 150

whole_clip = dict(type='StrideCapFrames', max_frames=max_frames)
resample_32 = dict(type='SignSampleFrames', clip_len=32)
pose_stages = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    whole_clip,
]
# Algorithm 1: k, epsilon_c, epsilon_m, delta, alpha (paper values).
motion_mask = dict(
    type='MotionAwareMask',
    interval=3,
    conf_thr=0.4,
    motion_thr=5.0,
    ratio_thr=0.5,
    mask_ratio=0.9,
    strategy='motion')
# The SA view: random temporal sampling dropping alpha_r = 50% of frames.
second_view = dict(type='RandomTemporalSample', drop_ratio=0.5)
pack_ma_sa = dict(
    type='PackSignInputs',
    algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                    'joint_weight', 'view2'))
pretrain_pipeline = [*pose_stages, motion_mask, second_view, pack_ma_sa]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='train',
        pipeline=pretrain_pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
