# Self-supervised MASA pre-training data (labels unused): part-wise
# normalisation, clip sampling, the motion-aware mask of MA (Algorithm 1) and
# the randomly sampled second view of SA (Eq. 5).
dataset_type = 'ISLRDataset'
ann_file = 'data/islr/annotations.pkl'
clip_len = 32

pretrain_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=clip_len),
    dict(
        type='MotionAwareMask',
        interval=3,
        conf_thr=0.4,
        motion_thr=5.0,
        ratio_thr=0.5,
        mask_ratio=0.9,
        strategy='motion'),
    dict(type='RandomTemporalSample', drop_ratio=0.5),
    dict(
        type='PackSignInputs',
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight', 'view2'))
]

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
