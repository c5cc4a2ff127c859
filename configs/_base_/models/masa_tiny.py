# A tiny MASA (token width 24, one encoder and one decoder block of 2 heads)
# for tests, smoke benchmarks and memory measurements: narrower widths of
# the components of masa_recognizer.py / masa_pretrain.py, merged into their
# models. Positions for 64 frames (test clips are 16-32 frames).
tiny_dims = 24
tiny_backbone = dict(
    embedding=dict(
        joint_channels=(8, 8, 12),
        group_channels=(16, 16),
        part_channels=tiny_dims // 3),
    embed_dims=tiny_dims,
    num_layers=1,
    num_heads=2,
    feedforward_channels=32,
    max_frames=64)
# The decoder works at the encoder's width (no projection).
tiny_neck = dict(
    embed_dims=tiny_dims,
    decoder_dims=None,
    num_layers=1,
    num_heads=2,
    feedforward_channels=32)
tiny_mask_head = dict(in_channels=tiny_dims, hidden_channels=16)
tiny_align_head = dict(
    in_channels=tiny_dims, hid_channels=16, out_channels=8, queue_len=64)
