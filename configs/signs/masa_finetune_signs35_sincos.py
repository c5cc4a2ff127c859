# The 35-gloss task fine-tuned from masa_pretrain_signs_dense_motion.py: the
# backbone with its fixed sine-cosine position table (not in checkpoints).
_base_ = ['masa_finetune_signs35_plain.py']
model = dict(backbone=dict(pos_embed_type='sincos'))
