# wlasl50_dev fine-tuned from masa_pretrain_signs_dense_motion.py: the
# backbone with its fixed sine-cosine position table (not in checkpoints).
_base_ = ['masa_finetune_wlasl50dev_from_signs.py']
model = dict(backbone=dict(pos_embed_type='sincos'))
