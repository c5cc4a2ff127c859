# MASA fine-tuning (paper Sec. IV-A): pre-trained embedding + encoder,
# average pooling, linear classifier (models/masa_recognizer_pretrained.py);
# 32 frames (random segment sampling for training, centre for testing); SGD
# momentum 0.9, lr 0.01 x0.1 every 20 epochs, 60 epochs, batch 64. The
# backbone is loaded from a MASA pre-training checkpoint; point it at yours
# with
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH
# (``init_cfg=None`` trains from scratch). Linear probing first (LP-FT, ours,
# off: the paper fine-tunes everything from the first step): the backbone
# frozen for the first N epochs with --cfg-options custom_hooks.0.epochs=N.
_base_ = [
    'default_runtime.py', 'models/masa_recognizer_pretrained.py',
    'datasets/islr_finetune.py', 'schedules/finetune_sgd_60e.py'
]
