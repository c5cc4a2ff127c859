# stgcnpp_sgd_cosine.py (MMAction2's ST-GCN++ recipe: SGD nesterov, lr 0.1,
# cosine decay to 0) over 40 epochs (configs/dev/, wlasl50_dev).
_base_ = ['stgcnpp_sgd_cosine.py']
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=max_epochs,
        by_epoch=True,
        convert_to_iter_based=True)
]
