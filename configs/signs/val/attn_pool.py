# Validation screen: the 35-gloss recipe with learned attention pooling
# (AttentionPoolHead) instead of the average of GCNHead.
_base_ = ['../masa_finetune_signs35_val.py']
model = dict(cls_head=dict(type='AttentionPoolHead', hid_channels=128))
