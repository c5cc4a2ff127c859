"""The sign-recognition recipe: what it changes, and that its configs train
and test (MASA and the ST-GCN++ control)."""
from pathlib import Path

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


def test_recipe_changes_only_the_pipelines_and_drop_path():
    for plain_rel, recipe_rel in (('signs/masa_finetune_signs35.py',
                                   'signs/masa_finetune_signs35_recipe.py'),
                                  ('signs/stgcnpp_signs35.py',
                                   'signs/stgcnpp_signs35_recipe.py')):
        plain, recipe = load(plain_rel), load(recipe_rel)
        assert types(recipe.train_dataloader.dataset.pipeline) == [
            'SelectSignJoints', 'RandomMirror', 'RandomTimeWarp',
            'PartNormalize', 'SignSampleFrames', 'RandomPoseAffine',
            'PackSignInputs'
        ]
        assert types(recipe.test_dataloader.dataset.pipeline) == [
            'SelectSignJoints', 'PartNormalize', 'SignSampleFrames',
            'MirrorTestViews', 'PackSignInputs'
        ]
        # Same data, schedule and optimiser as the plain recipe.
        for key in ('ann_file', 'split', 'subset', 'num_classes'):
            assert recipe.train_dataloader.dataset[key] == \
                plain.train_dataloader.dataset[key]
            assert recipe.test_dataloader.dataset[key] == \
                plain.test_dataloader.dataset[key]
        assert recipe.optim_wrapper == plain.optim_wrapper
        assert recipe.param_scheduler == plain.param_scheduler
        assert recipe.train_cfg == plain.train_cfg
    masa, plain = (load('signs/masa_finetune_signs35_recipe.py'),
                   load('signs/masa_finetune_signs35.py'))
    assert masa.model.backbone == dict(
        plain.model.backbone, drop_path_rate=0.2)
    assert masa.model.cls_head == plain.model.cls_head
    stgcnpp, plain = (load('signs/stgcnpp_signs35_recipe.py'),
                      load('signs/stgcnpp_signs35.py'))
    assert stgcnpp.model == plain.model


def test_recipe_configs_train_and_test_a_step(shared_data):
    init_default_scope('mmaction')
    ann_file = str(shared_data / 'real' / 'wlasl50_dev.pkl')
    for rel in ('signs/masa_finetune_signs35_recipe.py',
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
