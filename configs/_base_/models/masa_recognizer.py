# MASA fine-tuning model (paper Sec. III-D): the pre-trained embedding +
# encoder, average pooling over frames and a linear classifier, inside
# MMAction2's own RecognizerGCN + GCNHead.
embed_dims = 1536
model = dict(
    type='RecognizerGCN',
    data_preprocessor=dict(type='ActionDataPreprocessor'),
    backbone=dict(
        type='MASABackbone',
        embedding=dict(
            type='PoseEmbedding',
            joint_channels=(128, 128, 256),
            group_channels=(512, 512),
            part_channels=embed_dims // 3),
        embed_dims=embed_dims,
        num_layers=3,
        num_heads=8,
        feedforward_channels=2048,
        dropout=0.1),
    cls_head=dict(
        type='GCNHead', num_classes=2000, in_channels=embed_dims,
        dropout=0.0))
