# MASA fine-tuning model (paper Sec. III-D): the pre-trained embedding +
# encoder, average pooling over frames and a linear classifier, inside
# MMAction2's own RecognizerGCN + GCNHead.
_base_ = ['masa_backbone.py']
model = dict(
    type='RecognizerGCN',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=_base_.masa_backbone,
    cls_head=dict(
        type='GCNHead',
        num_classes=2000,
        in_channels=_base_.embed_dims,
        dropout=0.0))
