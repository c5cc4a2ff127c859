# finetune_sgd_60e.py's SGD (momentum 0.9, lr 0.01) for 40 epochs, lr x0.1
# after 20 and 30 (configs/dev/, wlasl50_dev).
_base_ = ['finetune_sgd_60e.py']
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20, 30], gamma=0.1)
]
