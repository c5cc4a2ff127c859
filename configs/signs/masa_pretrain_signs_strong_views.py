# MASA corpus pre-training with strong SA views (ours, the recognition
# recipe): the key view of semantic alignment (the momentum encoder's input,
# RandomTemporalSample's half of the frames) is further transformed by the
# recipe's augmentations, RandomPoseAffine and RandomJointDrop, through
# mmcv's KeyMapper on its view2_ keys, so the alignment task stays hard (with
# the paper's views -- masa_pretrain_signs.py, the switch back -- the two
# views differ only by which frames they keep and the InfoNCE loss is solved
# within an epoch or two). The query (the masked clip of MA) is left as it
# is: MA's motion target is computed by MotionAwareMask on the very clip the
# online encoder sees, so it stays a target of that input.
_base_ = ['masa_pretrain_signs.py']
key_view_augment = dict(
    type='KeyMapper',
    transforms=[dict(type='RandomPoseAffine'),
                dict(type='RandomJointDrop')],
    mapping=dict(
        keypoint='view2_keypoint', keypoint_score='view2_keypoint_score'),
    auto_remap=True)
_pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(
    dataset=dict(pipeline=[*_pipeline[:-1], key_view_augment, _pipeline[-1]]))
