"""The sign-recognition recipe: what it changes, and that its configs train
and test (MASA and the ST-GCN++ control)."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import mmaction_masa  # noqa: F401
from mmaction.registry import DATASETS, MODELS

CONFIG_DIR = Path(__file__).resolve().parents[2] / 'configs'


def load(rel: str) -> Config:
    return Config.fromfile(str(CONFIG_DIR / rel))


def types(pipeline):
    """The transform types of a pipeline, in order."""
    return [t['type'] for t in pipeline]


# The transform types of the recipe's pipelines
# (configs/_base_/recipes/sign_recipe.py).
RECIPE_TRAIN_TYPES = [
    'SelectSignJoints', 'RandomMirror', 'RandomTimeWarp', 'PartNormalize',
    'SignSampleFrames', 'RandomPoseAffine', 'PackSignInputs'
]
RECIPE_TEST_TYPES = [
    'SelectSignJoints', 'PartNormalize', 'SignSampleFrames', 'MirrorTestViews',
    'PackSignInputs'
]
# (paper's recipe, with ours): the real-data defaults and their switch back,
# the label-scarce variant and the ST-GCN++ control.
RECIPE_PAIRS = (('signs/masa_finetune_signs35_plain.py',
                 'signs/masa_finetune_signs35.py'),
                ('dev/masa_finetune_wlasl50dev_plain.py',
                 'dev/masa_finetune_wlasl50dev.py'),
                ('signs/masa_finetune_signs35_labels2pct.py',
                 'signs/masa_finetune_signs35_labels2pct_recipe.py'),
                ('signs/stgcnpp_signs35.py',
                 'signs/stgcnpp_signs35_recipe.py'),
                ('signs/stgcnpp_signs35_labels2pct.py',
                 'signs/stgcnpp_signs35_labels2pct_recipe.py'))


def pose_dataset(cfg, loader):
    """The pose dataset of a loader, under any dataset wrappers."""
    dataset = cfg[loader].dataset
    while 'dataset' in dataset:
        dataset = dataset.dataset
    return dataset


@pytest.mark.parametrize('plain_rel, recipe_rel', RECIPE_PAIRS)
def test_recipe_changes_only_the_pipelines_and_drop_path(
        plain_rel, recipe_rel):
    plain, recipe = load(plain_rel), load(recipe_rel)
    train = pose_dataset(recipe, 'train_dataloader')
    test = pose_dataset(recipe, 'test_dataloader')
    assert types(train.pipeline) == RECIPE_TRAIN_TYPES
    assert types(test.pipeline) == RECIPE_TEST_TYPES
    # Same data (wrappers included), schedule and optimiser as the plain
    # recipe: only the pipelines differ.
    for loader in ('train_dataloader', 'test_dataloader'):
        pose_dataset(recipe, loader).pipeline = None
        pose_dataset(plain, loader).pipeline = None
        assert recipe[loader] == plain[loader]
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'val_dataloader', 'default_hooks', 'custom_hooks'):
        assert recipe.get(key) == plain.get(key)
    if plain.model.backbone.type == 'MASABackbone':
        assert recipe.model.backbone == dict(
            plain.model.backbone, drop_path_rate=0.2)
        assert recipe.model.cls_head == plain.model.cls_head
    else:  # no stochastic depth in ST-GCN++
        assert recipe.model == plain.model


def test_custom_config_has_the_recipe():
    cfg = load('masa_finetune_custom.py')
    assert types(cfg.train_dataloader.dataset.pipeline) == RECIPE_TRAIN_TYPES
    assert types(cfg.test_dataloader.dataset.pipeline) == RECIPE_TEST_TYPES
    assert cfg.model.backbone.drop_path_rate == 0.2
    assert cfg.model.backbone.init_cfg.checkpoint == cfg.pretrained


def test_recipe_configs_train_and_test_a_step(shared_data):
    init_default_scope('mmaction')
    ann_file = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    for rel in ('signs/masa_finetune_signs35.py',
                'signs/stgcnpp_signs35_recipe.py'):
        cfg = load(rel)
        cfg.model.cls_head.num_classes = 25
        if cfg.model.backbone.get('init_cfg'):
            cfg.model.backbone.init_cfg = None
        model = MODELS.build(cfg.model)
        data = dict(ann_file=ann_file, num_classes=25, subset=None)
        train = DATASETS.build(dict(cfg.train_dataloader.dataset, **data))
        test = DATASETS.build(dict(cfg.test_dataloader.dataset, **data))
        torch.manual_seed(0)
        batch = model.data_preprocessor(
            pseudo_collate([train[i] for i in range(4)]), True)
        losses = model(**batch, mode='loss')
        sum(losses.values()).backward()
        assert torch.isfinite(losses['loss_cls'])
        sample = test[0]
        # The clip and its mirrored copy, averaged into one prediction.
        assert sample['inputs'].shape[0] == 2
        model.eval()
        with torch.no_grad():
            batch = model.data_preprocessor(pseudo_collate([sample]), False)
            pred = model(**batch, mode='predict')[0]
        assert pred.pred_score.shape == (25, )
        torch.testing.assert_close(pred.pred_score.sum(), torch.tensor(1.0))


@pytest.mark.parametrize(
    'path',
    sorted((CONFIG_DIR / 'signs' / 'val').glob('*.py')),
    ids=lambda p: p.name)
def test_validation_screens_never_see_the_test_sources(path):
    """Every screen that chose an ingredient trains on the 103 kept training
    sources and tests on the 26 held out of the *training* split."""
    cfg = Config.fromfile(str(path))
    split = dict(type='SourceSplitDataset', fraction=0.2, seed=0)
    train, test = cfg.train_dataloader.dataset, cfg.test_dataloader.dataset
    assert {k: train[k] for k in split} == split
    assert {k: test[k] for k in split} == split
    assert (train.part, test.part) == ('train', 'val')
    assert train.dataset.split == test.dataset.split == 'train'
    assert cfg.get('val_dataloader') is None


# Recipe ablation (configs/signs/ablation/): a plain config (the test
# sources, or 2 % of the labels) + one of the recipe's ingredients, set as in
# the recipe (config, its plain base, its training transform types when it
# adds a transform, its drop-path rate when it sets one).
_TIME_WARP_TYPES = [
    'SelectSignJoints', 'RandomMirror', 'RandomTimeWarp', 'PartNormalize',
    'SignSampleFrames', 'PackSignInputs'
]
_AFFINE_TYPES = [
    'SelectSignJoints', 'RandomMirror', 'PartNormalize', 'SignSampleFrames',
    'RandomPoseAffine', 'PackSignInputs'
]
_PLAIN = 'signs/masa_finetune_signs35_plain.py'
_PLAIN_2PCT = 'signs/masa_finetune_signs35_labels2pct.py'
ABLATIONS = (
    ('plain_timewarp.py', _PLAIN, _TIME_WARP_TYPES, None),
    ('plain_affine.py', _PLAIN, _AFFINE_TYPES, None),
    ('plain_droppath.py', _PLAIN, None, 0.2),
    ('labels2pct_timewarp.py', _PLAIN_2PCT, _TIME_WARP_TYPES, None),
    ('labels2pct_affine.py', _PLAIN_2PCT, _AFFINE_TYPES, None),
    ('labels2pct_droppath.py', _PLAIN_2PCT, None, 0.2),
)


def test_every_ablation_config_is_checked():
    assert sorted(
        p.name
        for p in (CONFIG_DIR / 'signs' / 'ablation').glob('*.py')) == sorted(
            a[0] for a in ABLATIONS)


@pytest.mark.parametrize(
    'name, plain_rel, train_types, drop_path',
    ABLATIONS,
    ids=[a[0] for a in ABLATIONS])
def test_ablations_add_exactly_one_ingredient(name, plain_rel, train_types,
                                              drop_path):
    plain = load(plain_rel)
    ablated = load(f'signs/ablation/{name}')
    recipe = load('signs/masa_finetune_signs35.py')
    if train_types is not None:
        recipe_train = pose_dataset(recipe, 'train_dataloader').pipeline
        ablated_train = pose_dataset(ablated, 'train_dataloader')
        plain_train = pose_dataset(plain, 'train_dataloader')
        assert types(ablated_train.pipeline) == train_types
        # The ingredient with the recipe's own arguments.
        added = [
            t for t in ablated_train.pipeline
            if t['type'] not in types(plain_train.pipeline)
        ]
        assert added == [
            t for t in recipe_train if t['type'] == added[0]['type']
        ]
        ablated_train.pipeline = plain_train.pipeline = None
    if drop_path is not None:
        assert ablated.model.backbone.drop_path_rate == drop_path
        assert recipe.model.backbone.drop_path_rate == drop_path
        del ablated.model.backbone['drop_path_rate']
    # Nothing else differs: data, test pipeline (no mirror TTA), schedule.
    for key in ('model', 'train_dataloader', 'test_dataloader',
                'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert ablated[key] == plain[key], key
