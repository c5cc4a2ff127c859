# pretrain_adamw_400e.py's AdamW at lr 1e-3 (the small model,
# models/masa_small.py) for 60 epochs (configs/dev/, wlasl50_dev): a 6-epoch
# linear warm-up from lr 1e-5, then linear decay to 0.
_base_ = ['pretrain_adamw_400e.py']
max_epochs = 60
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-2,
        by_epoch=True,
        begin=0,
        end=6,
        convert_to_iter_based=True),
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        by_epoch=True,
        begin=6,
        end=max_epochs,
        convert_to_iter_based=True)
]
