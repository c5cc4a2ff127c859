# MASA pre-training on the corpus with MA's decoder able to learn its task
# in the steps a CPU affords (ours, two switches; see README "does MA learn
# its task?"): the fixed sine-cosine position table in the encoder and the
# decoder (the learned std-0.02 table is 0.4 % of the pose embedding's RMS)
# and the motion loss on every real frame, the visible ones too (Eq. 4 takes
# the masked frames only: 2-4 of a 30-frame clip). Fine-tune with the same
# position table: masa_finetune_signs35_sincos.py,
# masa_finetune_wlasl50dev_from_signs_sincos.py.
_base_ = ['masa_pretrain_signs.py']
model = dict(
    backbone=dict(pos_embed_type='sincos'),
    neck=dict(pos_embed_type='sincos'),
    motion_frames='all')
