# Validation screen: the 35-gloss recipe + label smoothing 0.1 (the
# label_smooth_eps of MMAction2's heads).
_base_ = ['../masa_finetune_signs35_val.py']
model = dict(cls_head=dict(label_smooth_eps=0.1))
