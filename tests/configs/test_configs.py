"""Every shipped config loads, and the paper's hyper-parameters are the
defaults (MASA Sec. III-IV, Algorithm 1, Tables VI-XIII)."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmaction_masa  # noqa: F401
from mmaction.registry import MODELS

CONFIG_DIR = Path(__file__).resolve().parents[2] / 'configs'
LEAF_CONFIGS = sorted(
    p for p in CONFIG_DIR.rglob('*.py') if '_base_' not in p.parts)


def load(rel: str) -> Config:
    return Config.fromfile(str(CONFIG_DIR / rel))


def types(pipeline):
    """The transform types of a pipeline, in order."""
    return [t['type'] for t in pipeline]


def stage(pipeline, name):
    """The one transform of type ``name`` in a pipeline."""
    found = [t for t in pipeline if t['type'] == name]
    assert len(found) == 1, (name, pipeline)
    return found[0]


@pytest.mark.parametrize(
    'path',
    LEAF_CONFIGS,
    ids=[str(p.relative_to(CONFIG_DIR)) for p in LEAF_CONFIGS])
def test_config_loads_with_plugin_scope(path):
    cfg = Config.fromfile(str(path))
    assert cfg.default_scope == 'mmaction'
    assert 'mmaction_masa' in cfg.custom_imports['imports']
    assert cfg.model.type in ('MASA', 'RecognizerGCN')


def test_pretrain_defaults_are_the_papers():
    cfg = load('masa_pretrain_wlasl.py')
    model = cfg.model
    assert model.backbone.embed_dims == 1536
    # mu = 0.996, as mmengine's 1 - mu.
    assert model.momentum == pytest.approx(1 - 0.996)
    assert model.align_head.queue_len == 6144
    assert model.align_head.temperature == 0.07
    assert model.mask_head.target == 'motion'
    assert cfg.custom_hooks == [
        dict(type='AlignWeightRampHook', max_weight=0.05, ramp_epochs=100)
    ]
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert stage(pipeline, 'MotionAwareMask') == dict(
        type='MotionAwareMask',
        interval=3,
        conf_thr=0.4,
        motion_thr=5.0,
        ratio_thr=0.5,
        mask_ratio=0.9,
        strategy='motion')
    assert stage(pipeline, 'RandomTemporalSample')['drop_ratio'] == 0.5
    # Eq. 1's (x, y) input; Eq. 4 in half-box units, per sequence.
    assert model.backbone.embedding.get('in_channels', 2) == 2
    init_default_scope('mmaction')
    loss = MODELS.build(model.mask_head).loss_module
    assert (loss.coord_scale, loss.coord_reduction,
            loss.batch_reduction) == (128.0, 'mean', 'sample')
    # Paper silent, released code: the whole clip (<= 150 frames), no
    # resampling; joints under epsilon_c zeroed; train + val, never test.
    assert stage(pipeline, 'StrideCapFrames')['max_frames'] == 150
    assert 'SignSampleFrames' not in types(pipeline)
    assert stage(pipeline, 'PartNormalize').get('conf_thr', 0.4) == 0.4
    assert cfg.train_dataloader.dataset.split == ('train', 'val')
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr, optimizer.betas,
            optimizer.weight_decay) == ('AdamW', 1e-4, (0.9, 0.95), 1e-4)
    assert cfg.train_cfg.max_epochs == 400
    warmup, decay = cfg.param_scheduler
    assert (warmup.begin, warmup.end, decay.begin, decay.end) == (0, 20, 20,
                                                                  400)
    assert decay.end_factor == 0.0


def test_finetune_defaults_are_the_papers():
    cfg = load('finetune/masa_finetune_wlasl100.py')
    assert cfg.model.cls_head.num_classes == 100
    assert cfg.model.backbone.init_cfg.type == 'Pretrained'
    assert cfg.model.backbone.init_cfg.prefix == 'backbone.'
    assert cfg.train_dataloader.batch_size == 64
    assert cfg.train_dataloader.dataset.subset == 100
    train = stage(cfg.train_dataloader.dataset.pipeline, 'SignSampleFrames')
    test = stage(cfg.test_dataloader.dataset.pipeline, 'SignSampleFrames')
    assert (train['clip_len'], train.get('test_mode', False)) == (32, False)
    assert (test['clip_len'], test['test_mode']) == (32, True)
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.type, optimizer.lr, optimizer.momentum) == ('SGD', 0.01,
                                                                  0.9)
    assert cfg.param_scheduler == [
        dict(
            type='MultiStepLR', by_epoch=True, milestones=[20, 40], gamma=0.1)
    ]
    assert cfg.train_cfg.max_epochs == 60
    # LP-FT is ours and off: everything fine-tunes from the first step.
    assert cfg.custom_hooks == [dict(type='FreezeBackboneHook', epochs=0)]


@pytest.mark.parametrize('rel, classes, subset', [
    ('finetune/masa_finetune_wlasl300.py', 300, 300),
    ('finetune/masa_finetune_wlasl2000.py', 2000, 2000),
    ('finetune/masa_finetune_msasl100.py', 100, 100),
    ('finetune/masa_finetune_msasl200.py', 200, 200),
    ('finetune/masa_finetune_msasl1000.py', 1000, 1000),
    ('finetune/masa_finetune_nmfs_csl.py', 1067, 'total'),
    ('finetune/masa_finetune_slr500.py', 500, None),
])
def test_benchmark_finetune_configs(rel, classes, subset):
    cfg = load(rel)
    assert cfg.model.cls_head.num_classes == classes
    for loader in (cfg.train_dataloader, cfg.test_dataloader):
        assert loader.dataset.get('subset') == subset


def test_islr4_pretrains_on_all_four_training_sets():
    cfg = load('masa_pretrain_islr4.py')
    datasets = cfg.train_dataloader.dataset.datasets
    assert [d.type for d in datasets] == [
        'WLASLDataset', 'MSASLDataset', 'NMFsCSLDataset', 'SLR500Dataset'
    ]
    # Every clip that is not test: train + val where there is a val split.
    assert [d.split for d in datasets] == [('train', 'val'), ('train', 'val'),
                                           'train', 'train']
    base = load('masa_pretrain_wlasl.py').train_dataloader.dataset.pipeline
    assert all(d.pipeline == base for d in datasets)


def _pipelines(cfg):
    """The pipeline of every source of a (concatenated) dataset."""
    dataset = cfg.train_dataloader.dataset
    return [d.pipeline for d in dataset.get('datasets', [dataset])]


def _mask(cfg):
    masks = [stage(p, 'MotionAwareMask') for p in _pipelines(cfg)]
    assert all(m == masks[0] for m in masks)
    return masks[0]


def test_ablations_are_based_on_the_four_benchmark_pretraining():
    # The tables' reference row is the model pre-trained on all four.
    for path in sorted((CONFIG_DIR / 'ablations').glob('table*.py')):
        if path.name.startswith('table13'):
            continue  # test-time noise on a fine-tuned model
        sources = load(f'ablations/{path.name}').train_dataloader.dataset
        assert [d.type for d in sources.datasets] == [
            'WLASLDataset', 'MSASLDataset', 'NMFsCSLDataset', 'SLR500Dataset'
        ], path.name


def test_resample32_switch():
    cfg = load('ablations/pretrain_resample32.py')
    for pipeline in _pipelines(cfg):
        assert stage(pipeline, 'SignSampleFrames')['clip_len'] == 32
        assert 'StrideCapFrames' not in types(pipeline)


@pytest.mark.parametrize('rel, key, value', [
    ('table7_interval_k1.py', 'interval', 1),
    ('table7_interval_k5.py', 'interval', 5),
    ('table7_interval_k7.py', 'interval', 7),
    ('table9_mask_ratio10.py', 'mask_ratio', 0.1),
    ('table9_mask_ratio70.py', 'mask_ratio', 0.7),
    ('table11_motion_thr0.py', 'motion_thr', 0.0),
    ('table11_motion_thr15.py', 'motion_thr', 15.0),
    ('table12_ratio_thr0p1.py', 'ratio_thr', 0.1),
    ('table12_ratio_thr0p9.py', 'ratio_thr', 0.9),
    ('table6_mask_random_target_motion.py', 'strategy', 'random'),
])
def test_mask_ablations_change_exactly_one_value(rel, key, value):
    default = _mask(load('masa_pretrain_islr4.py'))
    ablated = _mask(load(f'ablations/{rel}'))
    assert ablated == dict(default, **{key: value})


def test_objective_and_component_ablations():
    joint = load('ablations/table6_mask_motion_target_joint.py')
    assert joint.model.mask_head.target == 'joint'
    assert _mask(joint)['strategy'] == 'motion'
    ma_only = load('ablations/table8_ma_only.py')
    assert ma_only.model.align_head is None
    assert all('view2' not in p[-1]['algorithm_keys']
               for p in _pipelines(ma_only))
    sa_only = load('ablations/table8_sa_only.py')
    assert sa_only.model.mask_head is None
    assert all(p[-1]['algorithm_keys'] == ('view2', )
               for p in _pipelines(sa_only))
    weight = load('ablations/table10_align_weight0p1.py')
    assert weight.custom_hooks[0]['max_weight'] == 0.1
    noisy = load('ablations/table13_test_noise_sigma10.py')
    assert stage(noisy.test_dataloader.dataset.pipeline,
                 'PoseGaussianNoise')['sigma'] == 10.0


def test_backbone_swap_keeps_mmaction2s_config():
    cfg = load('backbone_swap/stgcnpp_ntu60_2d_masa_backbone.py')
    assert cfg.model.backbone == dict(type='MASABackbone')
    assert cfg.model.cls_head.type == 'GCNHead'
    types = [t['type'] for t in cfg.train_dataloader.dataset.dataset.pipeline]
    assert types == [
        'PreNormalize2D', 'GenSkeFeat', 'UniformSampleFrames', 'PoseDecode',
        'FormatGCNInput', 'PackActionInputs'
    ]


def test_pretrain_checkpoint_loads_into_finetune_backbone(tmp_path):
    """The demo configs' shared small backbone: every pre-trained backbone
    weight reaches the fine-tuning model."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    pretrain = load('demo/masa_pretrain_synthetic.py')
    masa = MODELS.build(pretrain.model)
    masa.init_weights()
    ckpt = tmp_path / 'pretrain.pth'
    torch.save(dict(state_dict=masa.state_dict()), ckpt)
    finetune = load('demo/masa_finetune_synthetic.py')
    finetune.model.backbone.init_cfg.checkpoint = str(ckpt)
    recognizer = MODELS.build(finetune.model)
    recognizer.init_weights()
    loaded = recognizer.backbone.state_dict()
    expected = {
        k[len('backbone.'):]: v
        for k, v in masa.state_dict().items() if k.startswith('backbone.')
    }
    assert loaded.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(loaded[key], value, msg=key)


def test_released_config_turns_every_switch_on():
    cfg = load('released/masa_pretrain_released.py')
    model = cfg.model
    assert model.momentum == pytest.approx(1 - 0.999)
    assert model.align_head.queue_len == 6912
    assert (model.encoder_input, model.key_view) == ('mask_token', 'masked')
    assert model.backbone.mask_token is True
    assert model.mask_head.output_act == 'relu'
    loss = model.mask_head.loss
    assert (loss.criterion, loss.coord_scale, loss.coord_reduction,
            loss.loss_weight) == ('l1', 1.0, 'mean', 10.0)
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.betas, optimizer.weight_decay) == ((0.9, 0.999), 0.03)
    assert cfg.param_scheduler[1].milestones == [100, 200, 300, 350]
    for pipeline in _pipelines(cfg):
        mask = stage(pipeline, 'MotionAwareMask')
        assert (mask['candidate_rule'], mask['motion_thr'],
                mask['per_part']) == ('count', 3.0, True)
        assert stage(pipeline, 'PartNormalize')['body_box'] == 'image'
        assert 'RandomTemporalSample' not in types(pipeline)
    init_default_scope('mmaction')
    built = MODELS.build(cfg.model)
    assert built.backbone.mask_token.shape == (1, 1536)


def test_signs_corpus_configs():
    pretrain = load('signs/masa_pretrain_signs.py')
    dataset = pretrain.train_dataloader.dataset
    assert (dataset.split, dataset.num_classes) == ('pretrain', 339)
    assert types(dataset.pipeline)[:3] == [
        'SelectSignJoints', 'RandomMirror', 'PartNormalize'
    ]
    hooks = [h['type'] for h in pretrain.custom_hooks]
    assert hooks == ['AlignWeightRampHook', 'RepresentationMonitorHook']
    for rel in ('signs/masa_finetune_signs35.py', 'signs/stgcnpp_signs35.py'):
        cfg = load(rel)
        assert cfg.model.cls_head.num_classes == 35
        train, test = cfg.train_dataloader.dataset, cfg.test_dataloader.dataset
        assert (train.split, train.subset, test.split,
                test.subset) == ('train', 35, 'test', 35)
        assert 'RandomMirror' in types(train.pipeline)
        assert 'RandomMirror' not in types(test.pipeline)
        assert cfg.val_dataloader is None
    dev = load('signs/masa_finetune_wlasl50dev_from_signs.py')
    assert dev.model.backbone.init_cfg.checkpoint.endswith('epoch_20.pth')


def test_beyond_the_paper_signs_options_train_one_step(repo_root, shared_data):
    # Each option changes one stage and runs a real pre-training step.
    from mmengine.dataset import pseudo_collate

    from mmaction.registry import DATASETS
    init_default_scope('mmaction')
    for rel, key, value in (
        ('signs/masa_pretrain_signs_multiscale.py', 'target_intervals', (1, 3,
                                                                         5)),
        ('signs/masa_pretrain_signs_present_ratio.py', 'count_missing', False),
    ):
        cfg = load(rel)
        base = load('signs/masa_pretrain_signs.py')
        mask = stage(cfg.train_dataloader.dataset.pipeline, 'MotionAwareMask')
        base_mask = stage(base.train_dataloader.dataset.pipeline,
                          'MotionAwareMask')
        assert mask == dict(base_mask, **{key: value})
        dataset = DATASETS.build(
            dict(
                cfg.train_dataloader.dataset,
                ann_file=str(shared_data / 'real' / 'wlasl50_dev.pkl'),
                split='train',
                num_classes=None))
        model = MODELS.build(cfg.model)
        batch = model.data_preprocessor(
            pseudo_collate([dataset[i] for i in range(4)]), True)
        losses = model(**batch, mode='loss')
        sum(losses.values()).backward()
        assert losses['loss_motion'] > 0


@pytest.mark.parametrize('percent, times', [(1, 100), (10, 10)])
def test_data_scale_configs_keep_the_steps_per_epoch(percent, times):
    cfg = load(f'signs/masa_pretrain_signs_{percent}pct.py')
    dataset = cfg.train_dataloader.dataset
    assert (dataset.type, dataset.times) == ('RepeatDataset', times)
    assert dataset.dataset.fraction == percent / 100
    full = load('signs/masa_pretrain_signs.py').train_dataloader.dataset
    assert dataset.dataset.dataset == full


@pytest.mark.parametrize('percent, times', [(10, 3), (2, 10)])
def test_label_scarce_configs_subset_each_gloss_of_the_task(percent, times):
    cfg = load(f'signs/masa_finetune_signs35_labels{percent}pct.py')
    full = load('signs/masa_finetune_signs35_plain.py')
    dataset = cfg.train_dataloader.dataset
    assert (dataset.type, dataset.times) == ('RepeatDataset', times)
    subset = dataset.dataset
    assert (subset.type, subset.fraction, subset.seed,
            subset.per_class) == ('RandomSubsetDataset', percent / 100, 0,
                                  True)
    assert subset.dataset == full.train_dataloader.dataset
    # Only the training clips are fewer: same test set, model and schedule.
    for key in ('test_dataloader', 'model', 'train_cfg', 'param_scheduler'):
        assert cfg[key] == full[key]


def test_stgcnpp_label_scarce_config_has_the_masa_subset():
    """ST-GCN++ at 2 % trains on the very clips of the MASA config."""
    cfg = load('signs/stgcnpp_signs35_labels2pct.py')
    masa = load('signs/masa_finetune_signs35_labels2pct.py')
    full = load('signs/stgcnpp_signs35.py')
    dataset, masa_dataset = (cfg.train_dataloader.dataset,
                             masa.train_dataloader.dataset)
    assert (dataset.type, dataset.times) == ('RepeatDataset', 10)
    for key in ('type', 'fraction', 'seed', 'per_class'):
        assert dataset.dataset[key] == masa_dataset.dataset[key]
    assert dataset.dataset.dataset == full.train_dataloader.dataset
    for key in ('test_dataloader', 'model', 'train_cfg', 'param_scheduler'):
        assert cfg[key] == full[key]
