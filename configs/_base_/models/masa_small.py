# A small MASA (token width 192 instead of 1536, 2 encoder blocks) for the
# embedded synthetic demo and CPU runs. Same components, narrower widths.
small_dims = 192
small_backbone = dict(
    type='MASABackbone',
    embedding=dict(
        type='PoseEmbedding',
        joint_channels=(32, 32, 64),
        group_channels=(64, 64),
        part_channels=small_dims // 3),
    embed_dims=small_dims,
    num_layers=2,
    num_heads=4,
    feedforward_channels=384,
    dropout=0.1)
small_neck = dict(
    embed_dims=small_dims, num_layers=1, num_heads=4, feedforward_channels=384)
small_mask_head = dict(hidden_channels=128)
small_align_head = dict(in_channels=small_dims, hid_channels=128)
