"""The package as users install it.

* The installed package wins over a clone folder named like it (editable
  install and wheel).
* ``pip wheel .`` ships ``configs/`` and ``tools/`` under
  ``mmaction_masa/.mim/``; installed (``pip install --target``) it serves
  ``_base_ = 'mmaction_masa::...'`` to configs outside the repository, a
  copied ``configs/masa_finetune_custom.py`` included, and
  ``mim train mmaction_masa CONFIG``.

Cost: building and installing the wheel takes about 10 s, loading the
configs in a fresh interpreter about 10 s, the ``mim train`` run (zero
epochs: config, model, dataset and runner are built, nothing is trained)
about 20 s.
"""
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.util import find_spec
from pathlib import Path
from typing import Dict, List, NamedTuple

import pytest
from mmengine.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]
#: What a source checkout needs to build the package.
SOURCES = ('setup.py', 'MANIFEST.in', 'README.md', 'requirements.txt',
           'requirements-mmpose.txt', 'mmaction_masa', 'configs', 'tools')

CHECK = ('import mmaction_masa; from mmaction.registry import MODELS; '
         "print(mmaction_masa.__file__); print(MODELS.get('MASABackbone'))")


def test_import_from_the_clones_parent_folder(tmp_path):
    """From the folder holding a clone named ``mmaction_masa``, ``import
    mmaction_masa`` must load the package (not the clone as an empty
    namespace package that registers nothing)."""
    (tmp_path / 'mmaction_masa').symlink_to(
        REPO_ROOT, target_is_directory=True)
    proc = subprocess.run([sys.executable, '-c', CHECK],
                          cwd=tmp_path,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    init, backbone = proc.stdout.strip().splitlines()[-2:]
    assert init == str(REPO_ROOT / 'mmaction_masa' / '__init__.py')
    assert 'MASABackbone' in backbone


def _repo_files(folder: str, *patterns: str) -> List[str]:
    """Files below ``REPO_ROOT/folder`` matching ``patterns``, relative to
    the folder, sorted."""
    root = REPO_ROOT / folder
    return sorted({
        str(path.relative_to(root))
        for pattern in patterns
        for path in root.rglob(pattern) if '__pycache__' not in path.parts
    })


def _run(cmd: List[str], cwd: Path, **kwargs) -> str:
    """Run ``cmd``; return its stdout, fail with its output otherwise."""
    proc = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, (f'{cmd} failed ({proc.returncode}):\n'
                                  f'{proc.stdout[-3000:]}\n'
                                  f'{proc.stderr[-3000:]}')
    return proc.stdout


class InstalledWheel(NamedTuple):
    """A wheel built from a copy of the checkout, and where it went."""

    wheel: Path
    sdist: Path
    site: Path


@pytest.fixture(scope='module')
def installed_wheel(tmp_path_factory) -> InstalledWheel:
    """``pip wheel . --no-deps`` and ``setup.py sdist`` of a copy of the
    checkout's sources (so the checkout stays untouched), the wheel
    installed with ``pip install --no-deps --target``."""
    root = tmp_path_factory.mktemp('package')
    src = root / 'src'
    src.mkdir()
    for name in SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                src / name,
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        else:
            shutil.copy2(source, src / name)
    dist = root / 'dist'
    pip = [sys.executable, '-m', 'pip']
    _run(
        pip + [
            'wheel', '.', '--no-deps', '--no-build-isolation', '-q', '-w',
            str(dist)
        ], src)
    _run([sys.executable, 'setup.py', '-q', 'sdist', '-d', str(dist)], src)
    (wheel, ) = dist.glob('mmaction_masa-*.whl')
    (sdist, ) = dist.glob('mmaction_masa-*.tar.gz')
    site = root / 'site'
    _run(
        pip + [
            'install', '--no-deps', '--no-compile', '-q', '--target',
            str(site),
            str(wheel)
        ], root)
    return InstalledWheel(wheel, sdist, site)


def test_wheel_ships_configs_and_tools(installed_wheel):
    names = zipfile.ZipFile(installed_wheel.wheel).namelist()
    mim = 'mmaction_masa/.mim/'
    configs = sorted(n[len(mim + 'configs/'):] for n in names
                     if n.startswith(mim + 'configs/'))
    assert configs == _repo_files('configs', '*.py')
    assert 'masa_pretrain_wlasl.py' in configs
    assert '_base_/masa_finetune.py' in configs
    tools = sorted(n[len(mim + 'tools/'):] for n in names
                   if n.startswith(mim + 'tools/'))
    assert tools == _repo_files('tools', '*.py', '*.sh')
    assert {'train.py', 'test.py', 'dist_train.sh'} <= set(tools)
    assert {n.split('/')[0]
            for n in names
            } == {'mmaction_masa', 'mmaction_masa-0.1.0.dist-info'}
    assert 'mmaction_masa/config_paths.py' in names
    # The source distribution holds what the wheel is built from.
    with tarfile.open(installed_wheel.sdist) as archive:
        members = {
            m.name.split('/', 1)[1]
            for m in archive.getmembers() if '/' in m.name
        }
    assert {f'configs/{c}' for c in configs} <= members
    assert {f'tools/{t}' for t in tools} <= members
    assert {'setup.py', 'MANIFEST.in', 'mmaction_masa/__init__.py'} <= members


def _env(site: Path) -> Dict[str, str]:
    """The environment of a user of the installed wheel (its folder first
    on ``sys.path``)."""
    import os
    return dict(os.environ, PYTHONPATH=str(site))


#: Run in the user's folder: the package's file, then each config as JSON.
LOAD_CONFIGS = '''
import json, sys
import mmaction_masa
from mmengine.config import Config
print(mmaction_masa.__file__)
for name in sys.argv[1:]:
    print(json.dumps(Config.fromfile(name).to_dict(), sort_keys=True,
                     default=str))
'''


def _as_json(cfg: Config) -> Dict:
    """A config's dict as it reads back from JSON."""
    return json.loads(json.dumps(cfg.to_dict(), sort_keys=True, default=str))


def test_installed_configs_load_outside_the_repository(installed_wheel,
                                                       tmp_path):
    """A user's folder outside the repository (holding a clone named
    ``mmaction_masa``, too): ``_base_ = 'mmaction_masa::...'`` and a
    copied ``masa_finetune_custom.py`` load from the installed wheel and
    give the configs of the repository."""
    (tmp_path / 'mmaction_masa').symlink_to(
        REPO_ROOT, target_is_directory=True)
    (tmp_path / 'my_pretrain.py').write_text(
        "_base_ = 'mmaction_masa::masa_pretrain_wlasl.py'\n"
        'train_dataloader = dict(batch_size=4)\n')
    shutil.copy(REPO_ROOT / 'configs' / 'masa_finetune_custom.py', tmp_path)
    (tmp_path / 'load.py').write_text(LOAD_CONFIGS)
    lines = _run([
        sys.executable, 'load.py', 'my_pretrain.py', 'masa_finetune_custom.py'
    ],
                 tmp_path,
                 env=_env(installed_wheel.site)).strip().splitlines()
    init, pretrain, finetune = lines[-3:]
    assert init == str(installed_wheel.site / 'mmaction_masa' / '__init__.py')
    pretrain, finetune = json.loads(pretrain), json.loads(finetune)
    repo_pretrain = _as_json(
        Config.fromfile(REPO_ROOT / 'configs' / 'masa_pretrain_wlasl.py'))
    assert pretrain['model'] == repo_pretrain['model']
    assert pretrain['model']['type'] == 'MASA'
    assert pretrain['train_dataloader']['batch_size'] == 4
    assert pretrain['train_dataloader']['dataset'] == repo_pretrain[
        'train_dataloader']['dataset']
    assert finetune == _as_json(
        Config.fromfile(REPO_ROOT / 'configs' / 'masa_finetune_custom.py'))
    assert finetune['model']['cls_head']['num_classes'] == 10
    assert finetune['train_dataloader']['dataset']['ann_file'] == (
        'data/custom/annotations.pkl')


@pytest.mark.skipif(
    find_spec('mim') is None,
    reason='needs openmim (tools/setup_env.sh installs it)')
def test_mim_train_runs_the_installed_tools(installed_wheel, tmp_path,
                                            shared_data):
    """``mim train mmaction_masa CONFIG`` with a copied, edited
    ``masa_finetune_custom.py``: mim finds the wheel's
    ``.mim/tools/train.py``, which reads the config (its base from the
    wheel), builds the model, the dataset and the runner, and runs zero
    epochs (nothing is trained)."""
    ann_file = shared_data / 'real' / 'wlasl50_dev.pkl'
    text = (REPO_ROOT / 'configs' / 'masa_finetune_custom.py').read_text()
    text = text.replace("ann_file = 'data/custom/annotations.pkl'",
                        f'ann_file = {str(ann_file)!r}')
    text = text.replace('num_classes = 10', 'num_classes = 25')
    (tmp_path / 'my_finetune.py').write_text(text)
    work_dir = tmp_path / 'work_dir'
    out = _run([
        sys.executable, '-m', 'mim', 'train', 'mmaction_masa',
        'my_finetune.py', '--work-dir',
        str(work_dir), '--cfg-options', 'model.backbone.init_cfg=None',
        'train_cfg.max_epochs=0', 'param_scheduler=[]'
    ],
               tmp_path,
               env=_env(installed_wheel.site))
    script = installed_wheel.site / 'mmaction_masa' / '.mim' / 'tools'
    assert f'{script / "train.py"} my_finetune.py' in out
    assert 'Training finished successfully' in out
    dumped = Config.fromfile(work_dir / 'my_finetune.py')
    assert dumped.model.type == 'RecognizerGCN'
    assert dumped.model.backbone.type == 'MASABackbone'
    assert dumped.model.backbone.embed_dims == 1536
    assert dumped.model.cls_head.num_classes == 25
    assert dumped.train_dataloader.dataset.ann_file == str(ann_file)
    assert dumped.train_cfg.max_epochs == 0
