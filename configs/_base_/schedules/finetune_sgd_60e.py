# Fine-tuning schedule (paper Sec. IV-A): SGD momentum 0.9, lr 0.01 x0.1
# every 20 epochs, 60 epochs, batch 64. Weight decay is ours (paper silent).
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=60, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=10, norm_type=2))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20, 40], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=64)
