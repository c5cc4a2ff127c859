# Validation screen: the recipe (recipe_dp.py) with learned attention pooling
# (AttentionPoolHead) instead of the average of GCNHead.
_base_ = ['recipe_dp.py']
model = dict(cls_head=dict(type='AttentionPoolHead', hid_channels=128))
