# The sign-recognition recipe (ours, not the paper's; chosen on the 35-gloss
# task's validation split, configs/signs/val/, see
# docs/en/results/recipe.md): augmentation of the training poses --
# RandomTimeWarp (speed 0.7-1.3) and RandomJointDrop (fingers, hands, body
# lost for runs of frames) on the raw poses, RandomPoseAffine (whole pose and
# each hand) on the part-normalised 32-frame clip, RandomMirror as before --
# label smoothing 0.1, stochastic depth 0.2 in the encoder, and mirror
# test-time augmentation (the clip and its mirrored copy, softmax-averaged).
#
# Every key is prefixed recipe_ so this file can sit beside any other bases
# (MMEngine refuses a key set by two bases). In a MASA fine-tuning config:
#   _base_ = [..., '../_base_/recipes/sign_recipe.py']
#   model = _base_.recipe_model   # ST-GCN++: dict(cls_head=_base_.recipe_head)
#   train_dataloader = dict(
#       dataset=dict(pipeline=_base_.recipe_train_pipeline))
#   test_dataloader = dict(
#       dataset=dict(pipeline=_base_.recipe_test_pipeline))
recipe_clip_len = 32
recipe_train_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='RandomMirror', prob=0.5),
    dict(type='RandomTimeWarp', speed=(0.7, 1.3)),
    dict(type='RandomJointDrop'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=recipe_clip_len),
    dict(type='RandomPoseAffine'),
    dict(type='PackSignInputs')
]
recipe_test_pipeline = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=recipe_clip_len, test_mode=True),
    dict(type='MirrorTestViews'),
    dict(type='PackSignInputs')
]
recipe_head = dict(label_smooth_eps=0.1)
recipe_model = dict(backbone=dict(drop_path_rate=0.2), cls_head=recipe_head)
