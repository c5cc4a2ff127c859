# Table VI: motion masking, joint reconstruction target.
_base_ = ['../masa_pretrain_wlasl.py']
model = dict(mask_head=dict(target='joint'))
