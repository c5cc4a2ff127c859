"""The model zoo in OpenMMLab's shape: ``model-index.yml`` imports one
``metafile.yml`` per config group; every metafile parses, names existing
configs that build, and points at the group's README."""
from collections import Counter
from pathlib import Path

import pytest
import yaml
from mmengine.config import Config

import mmaction_masa  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_INDEX = REPO_ROOT / 'model-index.yml'
# The groups a user picks from, each with its README.md and metafile.yml.
GROUPS = ('pretrain', 'finetune', 'baselines', 'signs', 'dev', 'ablations')


def load_yaml(path: Path):
    """A YAML file, parsed."""
    return yaml.safe_load(path.read_text())


def imports():
    """The metafiles ``model-index.yml`` imports, as listed."""
    return load_yaml(MODEL_INDEX)['Import']


def metafiles():
    """Every metafile under ``configs/``, relative to the repository."""
    return sorted(
        p.relative_to(REPO_ROOT).as_posix()
        for p in (REPO_ROOT / 'configs').rglob('metafile.yml'))


def models():
    """(metafile, model entry) of every model of the zoo."""
    return [(meta, model) for meta in metafiles()
            for model in load_yaml(REPO_ROOT / meta)['Models']]


MODELS = models()


def test_model_index_imports_every_metafile_once():
    listed = imports()
    assert [k for k, n in Counter(listed).items() if n > 1] == []
    assert sorted(listed) == metafiles()
    assert sorted(f'configs/{g}/metafile.yml' for g in GROUPS) == metafiles()


@pytest.mark.parametrize('group', GROUPS)
def test_group_has_readme_and_metafile(group):
    readme = REPO_ROOT / 'configs' / group / 'README.md'
    assert readme.is_file()
    text = readme.read_text()
    for section in ('## Abstract', '## How to use', '## Results',
                    '## Citation', '@misc{zhao_masa'):
        assert section in text, (group, section)
    assert 'python tools/train.py configs/' in text
    assert (REPO_ROOT / 'configs' / group / 'metafile.yml').is_file()


@pytest.mark.parametrize('meta', metafiles())
def test_metafile_shape(meta):
    """mmpretrain's shape: Collections (Name, Metadata, Paper, README) and
    Models (Name, In Collection, Config, Metadata, Results); no weights."""
    doc = load_yaml(REPO_ROOT / meta)
    assert set(doc) == {'Collections', 'Models'}
    names = set()
    for collection in doc['Collections']:
        assert {'Name', 'Metadata', 'Paper', 'README'} <= set(collection)
        assert collection['Paper']['Title']
        assert (REPO_ROOT / collection['README']).is_file()
        assert Path(collection['README']).parent == Path(meta).parent
        names.add(collection['Name'])
    for model in doc['Models']:
        assert {'Name', 'In Collection', 'Config', 'Metadata',
                'Results'} <= set(model), model['Name']
        assert model['In Collection'] in names
        assert 'Weights' not in model
        assert model['Metadata']['Training Data']
        for result in model['Results'] or []:
            assert {'Task', 'Dataset', 'Metrics'} == set(result)
            assert all(
                isinstance(v, (int, float))
                for v in result['Metrics'].values()), model['Name']


def test_names_are_unique():
    for kind in ('Models', 'Collections'):
        names = [
            entry['Name'] for meta in metafiles()
            for entry in load_yaml(REPO_ROOT / meta)[kind]
        ]
        assert [k for k, n in Counter(names).items() if n > 1] == [], kind
    configs = [model['Config'] for _, model in MODELS]
    assert [k for k, n in Counter(configs).items() if n > 1] == []


@pytest.mark.parametrize(
    'meta, model', MODELS, ids=[model['Name'] for _, model in MODELS])
def test_model_config_builds_and_matches_metadata(meta, model):
    """The config exists, builds, and has the epochs and batch size its
    entry states."""
    path = REPO_ROOT / model['Config']
    assert path.is_file(), model['Config']
    assert model['Config'].startswith('configs/')
    cfg = Config.fromfile(str(path))
    assert cfg.default_scope == 'mmaction'
    metadata = model['Metadata']
    if 'Epochs' in metadata:
        assert cfg.train_cfg.max_epochs == metadata['Epochs']
    if 'Batch Size' in metadata:
        assert cfg.train_dataloader.batch_size == metadata['Batch Size']
