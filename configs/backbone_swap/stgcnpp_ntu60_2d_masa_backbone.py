# MMAction2's own ST-GCN++ NTU60 2D-keypoint config with its backbone swapped
# for MASA's: one `_base_` line, one `custom_imports` line, the backbone and
# the head width. Everything else (RecognizerGCN, GCNHead, MMAction2's
# PreNormalize2D / GenSkeFeat / UniformSampleFrames / FormatGCNInput
# pipeline, PoseDataset, AccMetric, schedule) is MMAction2's.
# MASA's embedding is built for the 49-joint sign layout, so the data is a
# 49-joint sign-pose annotation file with 'train' / 'test' splits.
_base_ = 'mmaction::skeleton/stgcnpp/stgcnpp_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py'  # noqa: E501
custom_imports = dict(imports=['mmaction_masa'], allow_failed_imports=False)

model = dict(
    backbone=dict(_delete_=True, type='MASABackbone'),
    cls_head=dict(num_classes=25, in_channels=1536))

ann_file = '../shared/data/real/wlasl50_dev.pkl'
train_dataloader = dict(
    dataset=dict(dataset=dict(ann_file=ann_file, split='train')))
val_dataloader = dict(dataset=dict(ann_file=ann_file, split='test'))
test_dataloader = dict(dataset=dict(ann_file=ann_file, split='test'))
