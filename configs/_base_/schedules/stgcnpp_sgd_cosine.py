# MMAction2's ST-GCN++ recipe: SGD (nesterov) lr 0.1, cosine decay.
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=60, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        T_max=60,
        by_epoch=True,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=64)
