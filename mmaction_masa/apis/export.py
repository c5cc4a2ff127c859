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
clip-averaged class probabilities of ``predict``) as ONNX with dynamic batch,
clip, person and frame axes (``torch.export`` through
``torch.onnx.export(dynamo=True)``, which needs ``onnxscript``);
:func:`check_onnx` compares it with PyTorch through onnxruntime. The graph
takes poses that are already normalised: :func:`onnx_inputs` is the
reference preprocessing (the config's test pipeline, as in training and
``tools/infer.py``).
"""
import json
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.runner.checkpoint import CheckpointLoader

from ..engine.hooks.atomic_checkpoint_hook import atomic_output
from ..safe_loading import save_safetensors
from ..sign_layout import COCO_WHOLEBODY_INDICES, NUM_JOINTS, PART_SLICES
from ..version import __version__
from .inference import pipeline_input

__all__ = [
    'BACKBONE_PREFIX', 'EXPORT_FORMATS', 'load_training_checkpoint',
    'backbone_state_dict', 'checkpoint_config', 'joint_layout',
    'export_backbone', 'ScoreModel', 'pipeline_clip_len', 'ONNX_INPUT_AXES',
    'onnx_dynamic_shapes', 'onnx_example', 'onnx_inputs', 'export_onnx',
    'check_onnx', 'onnx_check_shapes'
]

#: Prefix of the backbone's keys in recognizer and MASA checkpoints.
BACKBONE_PREFIX = 'backbone.'
#: File formats of :func:`export_backbone`.
EXPORT_FORMATS = ('pth', 'safetensors')
#: Names of the dynamic axes 0-3 of the ONNX input ``inputs``
#: ``(N, num_clips, M, T, 49, 3)`` (the output ``scores`` is
#: ``(batch, num_classes)``).
ONNX_INPUT_AXES = ('batch', 'clips', 'persons', 'frames')


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
    return dict(
        num_joints=NUM_JOINTS,
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
    exported = dict(
        state_dict=backbone_state_dict(loaded),
        meta=dict(
            backbone_cfg=backbone_cfg,
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
        return self.recognizer.cls_head.average_clip(
            logits, num_segs=inputs.shape[1])


def pipeline_clip_len(cfg: Config, default: int = 32) -> int:
    """``clip_len`` of the test pipeline's ``SignSampleFrames`` (else
    ``default``)."""
    for step in cfg.test_dataloader.dataset.pipeline:
        if step.get('type') == 'SignSampleFrames':
            return int(step.get('clip_len', default))
    return default


def onnx_dynamic_shapes(recognizer: nn.Module, max_batch: int = 4096) -> Dict:
    """``torch.export`` dynamic shapes of the ScoreModel input.

    Args:
        recognizer (nn.Module): The recognizer; the frame axis is bounded by
            its backbone's ``max_frames`` (the length of the position
            embedding of :class:`MASABackbone`) when it has one.
        max_batch (int): Upper bound of the batch axis. Defaults to 4096.

    Returns:
        dict: ``{'inputs': {0: batch, 1: clips, 2: persons, 3: frames}}``
        of ``torch.export.Dim`` (names :data:`ONNX_INPUT_AXES`), from 1 up
        to ``max_batch``, 64 clips, 16 persons and ``max_frames`` frames.
    """
    from torch.export import Dim
    max_frames = getattr(recognizer.backbone, 'max_frames', None) or 4096
    bounds = (max_batch, 64, 16, int(max_frames))
    return dict(
        inputs={
            axis: Dim(name, min=1, max=bound)
            for axis, (name, bound) in enumerate(zip(ONNX_INPUT_AXES, bounds))
        })


def onnx_example(batch_size: int,
                 num_frames: int,
                 num_clips: int = 1,
                 num_persons: int = 1,
                 seed: int = 0) -> torch.Tensor:
    """Random normalised poses ``(N, num_clips, M, T, 49, 3)``.

    Coordinates are uniform in [-128, 128] (the range of ``PartNormalize``)
    and scores in [0, 1].

    Args:
        batch_size (int): N.
        num_frames (int): T.
        num_clips (int): Clips per sample. Defaults to 1.
        num_persons (int): M. Defaults to 1.
        seed (int): Seed of the generator. Defaults to 0.

    Returns:
        torch.Tensor: float32 poses.
    """
    generator = torch.Generator().manual_seed(seed)
    example = torch.rand(
        batch_size,
        num_clips,
        num_persons,
        num_frames,
        NUM_JOINTS,
        3,
        generator=generator)
    example[..., :2] = example[..., :2] * 256 - 128
    return example


def onnx_inputs(pipeline: Callable[[Dict], Dict],
                clips: Sequence[Dict]) -> np.ndarray:
    """The reference preprocessing: clips -> the ONNX graph's ``inputs``.

    The graph holds the network only; the normalisation is the config's
    test pipeline, the same as in training and in ``tools/infer.py``
    (``SelectSignJoints`` -> ``PartNormalize``: each hand and the upper body
    boxed into [-128, 128] -> ``SignSampleFrames`` -> ``PackSignInputs``).
    Run it with ``build_test_pipeline(cfg)`` of
    :mod:`mmaction_masa.apis.inference`; ``clips`` are the dicts of its
    ``load_clips`` (annotation pickles, MMPose JSON, ``.pose`` files,
    videos) or ``load_annotation_clips``.

    Args:
        pipeline (Callable[[dict], dict]): The test pipeline.
        clips (Sequence[dict]): Clips with ``keypoint`` ``(M, T, V, 2)``,
            ``keypoint_score``, ``img_shape``, ``total_frames`` ...

    Returns:
        np.ndarray: ``(len(clips), num_clips, M, T, 49, 3)`` float32.

    Raises:
        ValueError: the clips pack to different shapes (e.g. different
            person counts); run them in separate batches.
    """
    packed = [pipeline(pipeline_input(clip))['inputs'] for clip in clips]
    shapes = sorted({tuple(inputs.shape) for inputs in packed})
    if len(shapes) != 1:
        raise ValueError(f'the clips pack to different shapes {shapes}; '
                         'give onnx_inputs one shape per batch')
    return torch.stack(packed).float().numpy()


def export_onnx(recognizer: nn.Module,
                out: Union[str, Path],
                num_frames: int,
                batch_size: int = 3,
                opset: int = 18) -> torch.Tensor:
    """Export a recognizer's class scores as ONNX with dynamic axes.

    The graph maps ``inputs`` ``(N, num_clips, M, T, 49, 3)`` (normalised
    poses, see :func:`onnx_inputs`) to ``scores`` ``(N, num_classes)``, the
    ``pred_score`` of ``RecognizerGCN.predict``. N, num_clips, M and T
    (up to the backbone's ``max_frames``) are dynamic
    (:data:`ONNX_INPUT_AXES`). The model is captured by ``torch.export``
    (``torch.onnx.export(dynamo=True)``; the TorchScript tracer would
    freeze the attention's reshapes to the example shape). The file's
    metadata holds the input layout, the joint layout and the class count.

    Args:
        recognizer (nn.Module): A ``RecognizerGCN`` in eval mode on CPU.
        out (str | Path): The ``.onnx`` file (parents created).
        num_frames (int): T of the example input (any T works later).
        batch_size (int): N of the example input. Defaults to 3.
        opset (int): ONNX opset. Defaults to 18.

    Returns:
        torch.Tensor: The example input ``(batch_size, 1, 1, num_frames,
        49, 3)`` (:func:`onnx_example`).

    Raises:
        ImportError: ``onnx`` or ``onnxscript`` is not installed.
    """
    example = onnx_example(batch_size, num_frames)
    model = ScoreModel(recognizer).eval()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The fused Transformer fast path (aten::_transformer_encoder_layer_fwd)
    # has no ONNX translation; export the plain operators instead.
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with torch.no_grad():
            program = torch.onnx.export(
                model, (example, ),
                input_names=['inputs'],
                output_names=['scores'],
                opset_version=opset,
                dynamo=True,
                dynamic_shapes=onnx_dynamic_shapes(recognizer),
                verbose=False)
            num_classes = int(model(example[:1]).shape[-1])
        program.model.metadata_props.update(
            mmaction_masa_version=__version__,
            inputs='(' + ', '.join(ONNX_INPUT_AXES) + ', 49 joints, [x, y, '
            'score]) normalised poses: mmaction_masa.apis.export.onnx_inputs',
            scores='(batch, num_classes) clip-averaged class scores '
            '(RecognizerGCN pred_score)',
            num_classes=str(num_classes),
            joint_layout=json.dumps(joint_layout()))
        with atomic_output(str(out)) as partial:
            # One self-contained file (weights inline, below ONNX's 2 GB).
            program.save(partial, external_data=False)
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
    return example


def check_onnx(recognizer: nn.Module, onnx_file: Union[str, Path],
               inputs: Union[torch.Tensor, np.ndarray]) -> float:
    """Max absolute difference of onnxruntime and PyTorch scores.

    Args:
        recognizer (nn.Module): The exported recognizer (eval mode).
        onnx_file (str | Path): The file of :func:`export_onnx`.
        inputs (Tensor | np.ndarray): ``(N, num_clips, M, T, 49, 3)``
            normalised poses, any size of the dynamic axes.

    Returns:
        float: ``max |scores_onnx - scores_torch|``.

    Raises:
        ImportError: onnxruntime is not installed.
    """
    import onnxruntime
    inputs = torch.as_tensor(inputs, dtype=torch.float32)
    session = onnxruntime.InferenceSession(
        str(onnx_file), providers=['CPUExecutionProvider'])
    (onnx_scores, ) = session.run(None, {'inputs': inputs.numpy()})
    with torch.no_grad():
        torch_scores = ScoreModel(recognizer).eval()(inputs)
    return float((torch.from_numpy(onnx_scores) - torch_scores).abs().max())


def onnx_check_shapes(num_frames: int,
                      batch_size: int = 3) -> Tuple[Tuple[int, ...], ...]:
    """Input shapes :func:`check_onnx` is run at after an export: the
    example's and one with every dynamic axis changed."""
    other_frames = max(1, num_frames // 2 + 1)
    return ((batch_size, 1, 1, num_frames, NUM_JOINTS, 3),
            (batch_size + 2, 2, 2, other_frames, NUM_JOINTS, 3))
