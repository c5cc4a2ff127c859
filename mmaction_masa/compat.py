"""Fixes for the OpenMMLab stack that no dependency pin can remove.

Applied once by ``import mmaction_masa`` (see :func:`apply_stack_fixes`).
The other stack problems (measured on the project's CPU machine with the
pinned stack) are solved by the install
(``requirements.txt`` / ``tools/setup_env.sh``): ``setuptools<82`` keeps
``pkg_resources`` for mmengine's ``mmaction::`` config paths, ``numpy<2``
keeps mmpose's ``xtcocotools`` importable, ``importlib_metadata`` is
mmaction2's undeclared dependency, and mmpose is installed with
``--no-deps`` so that its broken ``chumpy`` requirement is never built.
"""
import os.path as osp
import sys
import types
from importlib.util import find_spec

import torch
from mmengine.utils import digit_version

__all__ = [
    'apply_stack_fixes', 'install_drn_stub', 'patch_checkpoint_loading',
    'needs_checkpoint_patch', 'load_local_checkpoint'
]

_DRN_MODULE = 'mmaction.models.localizers.drn'


class _MissingDRN:
    """Placeholder for MMAction2's DRN localizer missing from its wheel."""

    def __init__(self, *args, **kwargs) -> None:
        raise ImportError(
            'mmaction2 1.2.0 is installed without '
            'mmaction/models/localizers/drn (open-mmlab/mmaction2#2714); '
            'DRN is unavailable. Install otxmmaction2==1.2.0 to use it.')


def install_drn_stub() -> bool:
    """Register a stub ``mmaction.models.localizers.drn`` if it is missing.

    MMAction2 1.2.0's wheel lacks the DRN temporal-grounding localizer, so
    ``import mmaction.models`` fails (open-mmlab/mmaction2#2714). The stub
    only provides the ``DRN`` name that ``localizers/__init__.py`` imports;
    instantiating it raises a clear error. Nothing happens when the real
    module exists.

    Returns:
        bool: whether the stub was installed.
    """
    if _DRN_MODULE in sys.modules:
        return False
    spec = find_spec('mmaction')  # never import the parents of the module
    if spec is None or not spec.submodule_search_locations:
        return False
    drn_dir = osp.join(spec.submodule_search_locations[0], 'models',
                       'localizers', 'drn')
    if osp.isdir(drn_dir):
        return False
    package = types.ModuleType(_DRN_MODULE)
    package.__path__ = []
    module = types.ModuleType(f'{_DRN_MODULE}.drn')
    module.DRN = _MissingDRN
    package.drn = module
    sys.modules[_DRN_MODULE] = package
    sys.modules[f'{_DRN_MODULE}.drn'] = module
    return True


def needs_checkpoint_patch() -> bool:
    """Whether mmengine's local checkpoint loader breaks on this torch.

    torch >= 2.6 defaults ``torch.load`` to ``weights_only=True``, and
    mmengine <= 0.10.7 calls it without the argument, so full training
    checkpoints (with ``HistoryBuffer`` and numpy objects in ``message_hub``)
    fail to load (open-mmlab/mmengine#1655, fixed on main by #1670).
    """
    import mmengine
    return (digit_version(torch.__version__) >= digit_version('2.6.0')
            and digit_version(mmengine.__version__) <= digit_version('0.10.7'))


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """mmengine's local loader, without running pickled code.

    ``torch.load(weights_only=True)`` with exactly the globals MMEngine
    stores allowed (see
    :func:`mmaction_masa.safe_loading.load_checkpoint_file`;
    ``.safetensors`` files load too). A checkpoint naming any other global
    is refused with :class:`~mmaction_masa.safe_loading.UnsafePickleError`;
    ``MMACTION_MASA_TRUST_PICKLES=1`` restores plain unpickling for your
    own old files.

    Args:
        filename (str): local checkpoint path.
        map_location: as in :func:`torch.load`.

    Returns:
        dict: the loaded checkpoint.
    """
    from .safe_loading import load_checkpoint_file
    return load_checkpoint_file(filename, map_location)


def patch_checkpoint_loading() -> bool:
    """Make ``--resume``, ``load_from``, ``tools/test.py`` and
    ``init_cfg=Pretrained`` load local checkpoints safely.

    On torch >= 2.6 mmengine's own loader cannot read full checkpoints
    (:func:`needs_checkpoint_patch`); on older torch it unpickles them with
    code execution. Both are replaced by :func:`load_local_checkpoint`.

    Returns:
        bool: whether mmengine's local loader was replaced (always).
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    return True


def apply_stack_fixes() -> None:
    """Apply every fix; safe to call more than once (``mmaction_masa::``
    config paths: :mod:`mmaction_masa.config_paths`)."""
    from .config_paths import patch_config_paths
    install_drn_stub()
    patch_checkpoint_loading()
    patch_config_paths()
