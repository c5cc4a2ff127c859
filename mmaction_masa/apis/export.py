"""Export trained weights: a plain backbone state dict, and ONNX.

:func:`export_backbone` turns a training checkpoint (a fine-tuned
``RecognizerGCN`` or a MASA pre-training run, both keeping the backbone
under ``backbone.``) into ``dict(state_dict=..., meta=...)`` that holds
only tensors and plain Python values: it loads with
``torch.load(path, weights_only=True)`` (or, as ``.safetensors``, without
any pickle) and initialises a
:class:`MASABackbone` through ``init_cfg=dict(type='Pretrained',
checkpoint=path)`` (mmengine's loader reads the ``state_dict`` entry).

:func:`export_onnx` writes a fine-tuned recognizer (backbone + head, the
clip-averaged class probabilities of ``predict``) as ONNX; :func:`check_onnx`
compares it with PyTorch through onnxruntime.
"""
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Optional, Union

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.runner.checkpoint import CheckpointLoader

from ..engine.hooks.atomic_checkpoint_hook import atomic_output
from ..safe_loading import save_safetensors
from ..sign_layout import COCO_WHOLEBODY_INDICES, NUM_JOINTS, PART_SLICES
from ..version import __version__

__all__ = [
    'BACKBONE_PREFIX', 'EXPORT_FORMATS', 'load_training_checkpoint',
    'backbone_state_dict', 'checkpoint_config', 'joint_layout',
    'export_backbone', 'ScoreModel', 'pipeline_clip_len', 'export_onnx',
    'check_onnx'
]

#: Prefix of the backbone's keys in recognizer and MASA checkpoints.
BACKBONE_PREFIX = 'backbone.'
#: File formats of :func:`export_backbone`.
EXPORT_FORMATS = ('pth', 'safetensors')


def load_training_checkpoint(path: Union[str, Path]) -> Dict:
    """Load a full mmengine checkpoint on the CPU.

    The file is read with ``torch.load(weights_only=True)`` and only the
    globals MMEngine stores allowed (:mod:`mmaction_masa.safe_loading`), so
    a checkpoint naming any other global is refused without running it.

    Args:
        path (str | Path): The ``.pth`` file.

    Returns:
        dict: The checkpoint (``state_dict``, ``meta`` ...) or a bare state
        dict.
    """
    return CheckpointLoader.load_checkpoint(str(path), map_location='cpu')


def backbone_state_dict(checkpoint: Dict,
                        prefix: str = BACKBONE_PREFIX) -> 'OrderedDict':
    """The tensors under ``prefix`` with the prefix removed.

    Only keys that start with ``prefix`` count, so a MASA checkpoint's
    ``momentum_encoder.backbone.*`` copy is left out.

    Args:
        checkpoint (dict): A checkpoint or a bare state dict.
        prefix (str): Key prefix. Defaults to ``'backbone.'``.

    Returns:
        OrderedDict: Contiguous CPU tensors.

    Raises:
        KeyError: no key starts with ``prefix``.
    """
    state = checkpoint.get('state_dict', checkpoint)
    found = OrderedDict((key[len(prefix):], value.detach().cpu().clone())
                        for key, value in state.items()
                        if key.startswith(prefix))
    if not found:
        raise KeyError(f'the checkpoint has no {prefix!r} keys (first '
                       f'keys: {list(state)[:3]})')
    return found


def checkpoint_config(
        checkpoint: Dict,
        config: Optional[Union[str, Path]] = None) -> Optional[Config]:
    """The config of a checkpoint: ``config`` if given, else the one
    mmengine stored in ``meta['cfg']`` (None when neither exists)."""
    if config is not None:
        return Config.fromfile(str(config))
    text = checkpoint.get('meta', {}).get('cfg')
    return Config.fromstring(text, '.py') if text else None


def joint_layout() -> Dict:
    """The 49-joint layout as plain values (for export metadata)."""
    return dict(num_joints=NUM_JOINTS,
                coco_wholebody_indices=list(COCO_WHOLEBODY_INDICES),
                parts={
                    name: [part.start, part.stop]
                    for name, part in PART_SLICES.items()
                },
                channels=['x', 'y', 'score'])


def export_backbone(checkpoint: Union[str, Path],
                    out: Union[str, Path],
                    config: Optional[Union[str, Path]] = None,
                    fmt: str = 'pth') -> Dict:
    """Write the backbone weights of a checkpoint as a plain file.

    Args:
        checkpoint (str | Path): Fine-tuned recognizer or MASA checkpoint.
        out (str | Path): The file to write (parents created).
        config (str | Path, optional): Config of the checkpoint; None uses
            the one stored in the checkpoint. Defaults to None.
        fmt (str): One of :data:`EXPORT_FORMATS`: ``'pth'`` (a
            ``torch.save`` dict) or ``'safetensors'`` (no pickle; ``meta``
            stored as JSON metadata). Both load through
            ``init_cfg=dict(type='Pretrained', checkpoint=out)``. Defaults
            to ``'pth'``.

    Returns:
        dict: What was saved: ``state_dict`` and ``meta`` with
        ``backbone_cfg`` (None when no config is known), ``joint_layout``,
        ``source`` and ``mmaction_masa_version``.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f'fmt must be one of {EXPORT_FORMATS}, got {fmt!r}')
    loaded = load_training_checkpoint(checkpoint)
    cfg = checkpoint_config(loaded, config)
    backbone_cfg = None
    if cfg is not None and 'backbone' in cfg.get('model', {}):
        backbone_cfg = cfg.model.backbone.to_dict()
    exported = dict(state_dict=backbone_state_dict(loaded),
                    meta=dict(backbone_cfg=backbone_cfg,
                              joint_layout=joint_layout(),
                              source=str(checkpoint),
                              mmaction_masa_version=__version__))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(str(out)) as partial:
        if fmt == 'safetensors':
            save_safetensors(exported['state_dict'], exported['meta'], partial)
        else:
            torch.save(exported, partial)
    return exported


class ScoreModel(nn.Module):
    """A recognizer as a plain tensor function for export.

    ``forward`` maps ``(N, num_clips, M, T, V, 3)`` inputs to the
    ``(N, num_classes)`` scores that ``RecognizerGCN.predict`` returns
    (the head's clip averaging, e.g. softmax then mean for ``'prob'``).

    Args:
        recognizer (nn.Module): A ``RecognizerGCN`` in eval mode.
    """

    def __init__(self, recognizer: nn.Module) -> None:
        super().__init__()
        self.recognizer = recognizer

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Class scores of a batch (see the class docstring)."""
        logits = self.recognizer.extract_feat(inputs, stage='head')[0]
        return self.recognizer.cls_head.average_clip(logits,
                                                     num_segs=inputs.shape[1])


def pipeline_clip_len(cfg: Config, default: int = 32) -> int:
    """``clip_len`` of the test pipeline's ``SignSampleFrames`` (else
    ``default``)."""
    for step in cfg.test_dataloader.dataset.pipeline:
        if step.get('type') == 'SignSampleFrames':
            return int(step.get('clip_len', default))
    return default


def export_onnx(recognizer: nn.Module,
                out: Union[str, Path],
                num_frames: int,
                opset: int = 18) -> torch.Tensor:
    """Export a recognizer for inputs ``(1, 1, 1, num_frames, 49, 3)``.

    Args:
        recognizer (nn.Module): A ``RecognizerGCN`` in eval mode on CPU.
        out (str | Path): The ``.onnx`` file.
        num_frames (int): T of the input (the test clip length).
        opset (int): ONNX opset. Defaults to 18.

    Returns:
        torch.Tensor: The example input the graph was traced with (poses
        in [-128, 128], scores in [0, 1]).
    """
    generator = torch.Generator().manual_seed(0)
    example = torch.rand(1,
                         1,
                         1,
                         num_frames,
                         NUM_JOINTS,
                         3,
                         generator=generator)
    example[..., :2] = example[..., :2] * 256 - 128
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    # The fused Transformer fast path (aten::_transformer_encoder_layer_fwd)
    # has no ONNX symbolic; trace the plain operators instead.
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # Shape checks in Python become constants for the fixed input.
            warnings.simplefilter('ignore', torch.jit.TracerWarning)
            torch.onnx.export(ScoreModel(recognizer).eval(), (example, ),
                              str(out),
                              input_names=['inputs'],
                              output_names=['scores'],
                              opset_version=opset,
                              dynamo=False)
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
    return example


def check_onnx(recognizer: nn.Module, onnx_file: Union[str, Path],
               inputs: torch.Tensor) -> float:
    """Max absolute difference of onnxruntime and PyTorch scores.

    Raises:
        ImportError: onnxruntime is not installed.
    """
    import onnxruntime
    session = onnxruntime.InferenceSession(str(onnx_file),
                                           providers=['CPUExecutionProvider'])
    (onnx_scores, ) = session.run(None, {'inputs': inputs.numpy()})
    with torch.no_grad():
        torch_scores = ScoreModel(recognizer).eval()(inputs)
    return float((torch.from_numpy(onnx_scores) - torch_scores).abs().max())
