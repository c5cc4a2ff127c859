# Fine-tune + test the small MASA on wlasl50_dev.pkl from the backbone
# pre-trained on the 20k-clip sign corpus
# (configs/signs/masa_pretrain_signs.py)
# instead of the 158 dev clips.
_base_ = ['../dev/masa_finetune_wlasl50dev_plain.py']
pretrained = 'work_dirs/signs/pretrain/epoch_20.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=pretrained)))
