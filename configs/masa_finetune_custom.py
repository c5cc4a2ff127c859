# Fine-tune and test MASA on your own annotation file (any number of
# classes). The file is an MMAction2 PoseDataset pickle with 'train' and
# 'test' splits (V = 49 or 133 joints; see the README), e.g. from
# tools/data/mmpose_json_to_ann.py. Copy this file and set the three values
# below (they are used where the config is read, so --cfg-options must name
# the full keys instead, e.g. train_dataloader.dataset.ann_file=...).
# The sign-recognition recipe (ours; _base_/recipes/sign_recipe.py: random
# mirroring, time warp and affine pose augmentation, stochastic depth 0.2,
# mirror test-time augmentation) is on: for the paper's fine-tuning recipe,
# delete its base and the three recipe_* values below.
_base_ = [
    'mmaction_masa::_base_/masa_finetune.py',
    'mmaction_masa::_base_/recipes/sign_recipe.py'
]
ann_file = 'data/custom/annotations.pkl'
num_classes = 10
pretrained = 'work_dirs/masa_pretrain_custom/epoch_400.pth'
model = dict(
    backbone=dict(
        _base_.recipe_model.backbone, init_cfg=dict(checkpoint=pretrained)),
    cls_head=dict(num_classes=num_classes))
_dataset = dict(ann_file=ann_file, num_classes=num_classes)
train_dataloader = dict(
    dataset=dict(_dataset, pipeline=_base_.recipe_train_pipeline))
test_dataloader = dict(
    dataset=dict(_dataset, pipeline=_base_.recipe_test_pipeline))
# With a 'val' split in your file, replace the three lines below with
#   val_dataloader = dict(dataset=_dataset)
#   default_hooks = dict(checkpoint=dict(save_best='auto'))
val_dataloader = None
val_cfg = None
val_evaluator = None
