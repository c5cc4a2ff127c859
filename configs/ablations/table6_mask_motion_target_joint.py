# Table VI: motion masking, joint reconstruction target.
_base_ = ['../masa_pretrain_islr4.py']
model = dict(mask_head=dict(target='joint'))
