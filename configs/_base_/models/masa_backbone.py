# The MASA backbone shared by pre-training and fine-tuning: frame-wise
# PoseEmbedding (hand GCN shared by both hands + body GCN, D_e = 1536) +
# learnable temporal position embedding + Transformer encoder.
embed_dims = 1536
masa_backbone = dict(
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
    dropout=0.1)
