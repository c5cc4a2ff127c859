# MASA pre-training (configs/masa_pretrain_wlasl.py) of the tiny model
# (configs/_base_/models/masa_tiny.py): for smoke runs, tests and benchmarks
# (benchmarks/benchmark.py --preset tiny).
_base_ = ['../masa_pretrain_wlasl.py', '../_base_/models/masa_tiny.py']
model = dict(
    backbone=_base_.tiny_backbone,
    neck=_base_.tiny_neck,
    mask_head=_base_.tiny_mask_head,
    align_head=_base_.tiny_align_head)
