# MASA pre-training with every behaviour of the authors' released code that
# differs from the paper turned on together (see OFFICIAL_CODE_NOTES and the
# README's table; the paper's values are the defaults everywhere else):
# - masks drawn per part (right hand, left hand, body), each part's
#   candidates: more than 1 coordinate with signed residual > 3.0;
# - BERT-style encoder input: every frame, the masked ones as a mask token
#   hidden as attention keys;
# - motion loss: L1 x 10, mean over coordinates, in [-128, 128] units, with a
#   ReLU on the predictions;
# - SA view: the clip with a random 50 % of its frames masked;
# - EMA mu = 0.999, queue of 6,912 keys;
# - AdamW betas (0.9, 0.999), weight decay 0.03; 20-epoch warm-up, then the
#   learning rate halved at epochs 100, 200, 300 and 350;
# - body normalised by the image size (x / w, y / h, times 256, centred).
# Not reproduced: the released learned attention pooling and the temporal
# convolutions of its embedding (the paper's frame-wise embedding and
# average pooling are kept).
_base_ = ['../masa_pretrain_islr4.py']
_stages = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize', body_box='image'), _base_.whole_clip,
    dict(
        _base_.motion_mask,
        candidate_rule='count',
        motion_thr=3.0,
        per_part=True),
    dict(
        type='PackSignInputs',
        algorithm_keys=('motion_mask', 'motion_target', 'motion_weight',
                        'joint_weight'))
]
train_dataloader = dict(
    dataset=dict(datasets=[
        dict(source, pipeline=_stages)
        for source in _base_.train_dataloader.dataset.datasets
    ]))
model = dict(
    backbone=dict(mask_token=True),
    mask_head=dict(
        output_act='relu',
        loss=dict(
            coord_scale=1.0,
            criterion='l1',
            coord_reduction='mean',
            loss_weight=10.0)),
    align_head=dict(queue_len=6912),
    momentum=0.001,  # 1 - mu, mu = 0.999
    encoder_input='mask_token',
    key_view='masked',
    key_mask_ratio=0.5)
optim_wrapper = dict(optimizer=dict(betas=(0.9, 0.999), weight_decay=0.03))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        end_factor=1.0,
        by_epoch=True,
        begin=0,
        end=20,
        convert_to_iter_based=True),
    dict(
        type='MultiStepLR',
        by_epoch=True,
        begin=20,
        end=400,
        milestones=[100, 200, 300, 350],
        gamma=0.5)
]
