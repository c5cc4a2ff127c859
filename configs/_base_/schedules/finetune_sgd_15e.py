# finetune_sgd_60e.py's SGD (momentum 0.9, lr 0.01) for 15 epochs, lr x0.1
# after 8 and 11 (configs/signs/, the 35-gloss task).
_base_ = ['finetune_sgd_60e.py']
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[8, 11], gamma=0.1)
]
