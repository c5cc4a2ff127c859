# stgcnpp_sgd_cosine.py (MMAction2's ST-GCN++ recipe: SGD nesterov, lr 0.1,
# cosine decay to 0) over 15 epochs (configs/signs/, the 35-gloss task).
_base_ = ['stgcnpp_sgd_cosine.py']
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=max_epochs,
        by_epoch=True,
        convert_to_iter_based=True)
]
