"""``mmaction_masa::NAME`` config paths, as ``mmaction::`` works for MMAction2.

A wheel of this package (``pip install .``) ships the repository's
``configs/`` and ``tools/`` under ``mmaction_masa/.mim/`` (the layout of
OpenMMLab wheels, which ``mim train mmaction_masa CONFIG`` reads). A config
outside the repository can then inherit a shipped one::

    _base_ = 'mmaction_masa::masa_pretrain_wlasl.py'
    _base_ = ['mmaction_masa::_base_/masa_finetune.py']

MMEngine resolves ``PACKAGE::PATH`` only for the OpenMMLab packages it
lists (``MODULE2PACKAGE``) and only for paths with a folder, and gives the
base's dicts that package's registry scope. :func:`patch_config_paths`
(applied by ``import mmaction_masa``) resolves the ``mmaction_masa::``
prefix itself, for top-level names too, and adds no scope: a shipped config
inherited this way builds exactly as when it is read from the repository
(our modules live in MMAction2's registries). The prefix works wherever
``mmaction_masa`` is imported before the config is read: this package's
``tools/train.py`` / ``tools/test.py`` (and so ``mim train mmaction_masa``),
or any script that imports it.
"""
from pathlib import Path
from typing import List, Optional, Tuple

__all__ = [
    'CONFIG_PREFIX', 'config_roots', 'resolve_config_path',
    'patch_config_paths'
]

#: Prefix of config paths inside the installed package.
CONFIG_PREFIX = 'mmaction_masa::'

_PACKAGE_DIR = Path(__file__).resolve().parent


def config_roots() -> List[Path]:
    """Folders searched for ``mmaction_masa::`` configs, in order.

    Returns:
        list[Path]: ``mmaction_masa/.mim/configs`` of an installed wheel,
        then ``configs/`` of a source checkout (the folder above the
        package holding ``setup.py``), those that exist.
    """
    roots = [_PACKAGE_DIR / '.mim' / 'configs']
    checkout = _PACKAGE_DIR.parent
    if (checkout / 'setup.py').is_file():
        roots.append(checkout / 'configs')
    return [root for root in roots if root.is_dir()]


def resolve_config_path(name: str) -> str:
    """The file of a shipped config.

    Args:
        name (str): Path below ``configs/``, e.g.
            ``'masa_pretrain_wlasl.py'`` or ``'_base_/masa_finetune.py'``
            (with or without the ``mmaction_masa::`` prefix).

    Returns:
        str: The absolute path of the config file.

    Raises:
        FileNotFoundError: no config root holds ``name``.
    """
    if name.startswith(CONFIG_PREFIX):
        name = name[len(CONFIG_PREFIX):]
    roots = config_roots()
    for root in roots:
        path = root / name
        if path.is_file():
            return str(path)
    searched = ', '.join(map(str, roots)) or (
        f'none: neither {_PACKAGE_DIR / ".mim" / "configs"} (pip install .) '
        'nor a source checkout')
    raise FileNotFoundError(
        f'{CONFIG_PREFIX}{name}: no such config (searched {searched})')


def patch_config_paths() -> bool:
    """Make MMEngine's ``Config`` resolve ``mmaction_masa::`` paths.

    ``Config._get_cfg_path`` is wrapped: a path with the prefix maps to
    :func:`resolve_config_path` with no registry scope (as a local base
    file); every other path goes to MMEngine's own resolution.

    Returns:
        bool: whether the wrapper was installed now (False when it already
        was).
    """
    from mmengine.config import Config
    original = Config._get_cfg_path
    if getattr(original, 'mmaction_masa_paths', False):
        return False

    def _get_cfg_path(cfg_path: str,
                      filename: str) -> Tuple[str, Optional[str]]:
        if cfg_path.startswith(CONFIG_PREFIX):
            return resolve_config_path(cfg_path), None
        return original(cfg_path, filename)

    _get_cfg_path.mmaction_masa_paths = True
    _get_cfg_path.__doc__ = original.__doc__
    Config._get_cfg_path = staticmethod(_get_cfg_path)
    return True
