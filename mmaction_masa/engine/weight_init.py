"""``init_cfg=dict(type='Pretrained', prefix='backbone.')`` that also takes
an exported backbone.

The shipped fine-tuning configs load the backbone of a full checkpoint
(pre-training or fine-tuning run) with ``prefix='backbone.'``. An export of
``tools/export_backbone.py`` (``.pth`` or ``.safetensors``) stores the same
tensors without the prefix, and MMEngine's ``PretrainedInit`` then fails with
``AssertionError: backbone. is not in the pretrained model``.
:class:`ExportAwarePretrainedInit`, registered as ``Pretrained`` in
``mmaction.registry`` (so configs keep ``type='Pretrained'``, which MMEngine's
``BaseModule`` needs to apply it after the children's own init), loads an
export's keys as they are; anything else behaves as MMEngine's.
"""
from typing import Dict, Mapping

from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit, update_init_info
from mmengine.runner.checkpoint import _load_checkpoint, load_state_dict

from mmaction.registry import WEIGHT_INITIALIZERS

__all__ = ['ExportAwarePretrainedInit', 'is_backbone_export']


def is_backbone_export(checkpoint: Mapping) -> bool:
    """Whether a loaded checkpoint is an export of
    :func:`mmaction_masa.apis.export.export_backbone` (its ``meta`` holds
    the ``joint_layout``)."""
    meta = checkpoint.get('meta') if isinstance(checkpoint, Mapping) else None
    return isinstance(meta, Mapping) and 'joint_layout' in meta


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class ExportAwarePretrainedInit(PretrainedInit):
    """MMEngine's ``PretrainedInit``; with a ``prefix``, an exported
    backbone (no prefixed key) loads unprefixed.

    Args:
        checkpoint (str): The checkpoint file.
        prefix (str, optional): Key prefix of the sub-module's weights in a
            full checkpoint (e.g. ``'backbone.'``). Defaults to None.
        map_location (str): As in :func:`torch.load`. Defaults to ``'cpu'``.
    """

    def _prefixed_state(self, checkpoint: Mapping) -> Dict:
        """The tensors under ``prefix`` (stripped), or an export's own.

        Raises:
            KeyError: no key has the prefix and the file is not an export.
        """
        state = checkpoint.get('state_dict', checkpoint)
        prefix = self.prefix if self.prefix.endswith(
            '.') else self.prefix + '.'
        found = {
            key[len(prefix):]: value
            for key, value in state.items() if key.startswith(prefix)
        }
        if found:
            return found
        if is_backbone_export(checkpoint):
            print_log(
                f'{self.checkpoint} is an exported backbone: its keys are '
                f'loaded without the prefix {prefix!r}',
                logger='current')
            return dict(state)
        raise KeyError(
            f'{self.checkpoint}: no key starts with {prefix!r} and the file '
            'is not a tools/export_backbone.py export (first keys: '
            f'{list(state)[:3]})')

    def __call__(self, module) -> None:
        """Load the weights into ``module``."""
        if self.prefix is None:
            return super().__call__(module)
        print_log(
            f'load {self.prefix} in model from: {self.checkpoint}',
            logger='current')
        checkpoint = _load_checkpoint(
            self.checkpoint, map_location=self.map_location)
        load_state_dict(
            module,
            self._prefixed_state(checkpoint),
            strict=False,
            logger='current')
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())
