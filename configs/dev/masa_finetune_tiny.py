# The tiny MASA recognizer (configs/_base_/models/masa_tiny.py) in the
# fine-tuning recipe, from scratch, 2 epochs with validation after each: for
# smoke runs, tests and benchmarks (benchmarks/benchmark.py --preset tiny,
# benchmarks/inference_memory.py). Children set the data as
# configs/finetune/ do.
_base_ = ['../_base_/masa_finetune.py', '../_base_/models/masa_tiny.py']
max_epochs = 2
model = dict(
    backbone=dict(_base_.tiny_backbone, init_cfg=None),
    cls_head=dict(in_channels=_base_.tiny_dims))
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
