# Runtime shared by every config of the plugin. No best-checkpoint selection
# here: configs whose benchmark has a val split select on it
# (save_best='auto'); validation never runs on a test split.
default_scope = 'mmaction'
custom_imports = dict(imports=['mmaction_masa'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic writes, old checkpoints removed only after the new one is
    # complete (mmaction_masa/engine/hooks/atomic_checkpoint_hook.py)
    checkpoint=dict(
        type='AtomicCheckpointHook',
        interval=10,
        save_best=None,
        max_keep_ckpts=3,
        save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # RNG states in checkpoints: --resume continues exactly
    rng_state=dict(type='RNGStateHook'),
    sync_buffers=dict(type='SyncBuffersHook'))

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # 'gloo' for CPU-only distributed runs.
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

# Add dict(type='TensorboardVisBackend') to log to TensorBoard
# (pip install tensorboard).
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
