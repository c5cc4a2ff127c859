"""Export the backbone of a checkpoint as a plain, safely loadable file.

CKPT is a fine-tuned recognizer or a MASA pre-training checkpoint. OUT gets
``dict(state_dict=<backbone.* without the prefix>, meta=dict(backbone_cfg,
joint_layout, ...))``, which loads with ``torch.load(OUT,
weights_only=True)`` and into a ``MASABackbone`` with
``init_cfg=dict(type='Pretrained', checkpoint=OUT)``; ``--format
safetensors`` writes the same tensors as safetensors (no pickle, ``meta``
as JSON metadata), which loads the same way. With ``--onnx`` the
fine-tuned recognizer (backbone + head) is also exported to ONNX: inputs
``(N, num_clips, M, T, 49, 3)`` of normalised poses with dynamic N,
num_clips, M and T (``mmaction_masa.apis.export.onnx_inputs`` is the
reference preprocessing), output the class scores; it is checked against
PyTorch with onnxruntime at the example shape (``--batch-size`` x
``--num-frames``) and at a shape with every dynamic axis changed (needs
``pip install onnx onnxruntime onnxscript``).

Example::

    python tools/export_backbone.py work_dirs/masa_pretrain/epoch_400.pth \\
        masa_backbone.pth
    python tools/export_backbone.py work_dirs/masa_finetune/best.pth \\
        masa_backbone.pth --onnx masa.onnx --num-frames 64
"""
import argparse
import sys

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis import load_recognizer
from mmaction_masa.apis.export import (EXPORT_FORMATS, check_onnx,
                                       checkpoint_config, export_backbone,
                                       export_onnx, load_training_checkpoint,
                                       onnx_check_shapes, onnx_example,
                                       pipeline_clip_len)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Checkpoint -> plain backbone state dict (+ ONNX)')
    parser.add_argument('checkpoint', help='training checkpoint')
    parser.add_argument('out', help='backbone file to write (.pth)')
    parser.add_argument(
        '--config',
        help='config of the checkpoint (default: the one stored in it)')
    parser.add_argument(
        '--format',
        choices=EXPORT_FORMATS,
        default='pth',
        help='pth (torch.save dict) or safetensors (no pickle, meta as '
        'JSON metadata); both load with init_cfg=Pretrained')
    parser.add_argument(
        '--onnx', help='also export the recognizer to this .onnx file')
    parser.add_argument(
        '--num-frames',
        type=int,
        help='T of the ONNX example input (default: the test clip_len; '
        'the exported frame axis is dynamic)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=3,
        help='N of the ONNX example input (the batch axis is dynamic)')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    saved = export_backbone(args.checkpoint, args.out, args.config,
                            args.format)
    print(f'wrote {len(saved["state_dict"])} backbone tensors to {args.out}')
    if not args.onnx:
        return 0
    cfg = checkpoint_config(
        load_training_checkpoint(args.checkpoint), args.config)
    if cfg is None or cfg.model.get('type') != 'RecognizerGCN':
        print(
            'error: --onnx needs the config of a fine-tuned RecognizerGCN '
            '(pass --config)',
            file=sys.stderr)
        return 2
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as exc:
        print(
            f'error: --onnx needs onnx, onnxruntime and onnxscript ({exc}); '
            'pip install onnx onnxruntime onnxscript',
            file=sys.stderr)
        return 2
    model = load_recognizer(cfg, args.checkpoint)[0]
    num_frames = args.num_frames or pipeline_clip_len(cfg)
    export_onnx(model, args.onnx, num_frames, args.batch_size)
    print(f'wrote {args.onnx}; inputs (batch, clips, persons, frames, 49, 3)')
    for seed, shape in enumerate(
            onnx_check_shapes(num_frames, args.batch_size)):
        inputs = onnx_example(shape[0], shape[3], shape[1], shape[2], seed)
        diff = check_onnx(model, args.onnx, inputs)
        print(f'max abs difference onnxruntime vs PyTorch at '
              f'{tuple(shape)}: {diff:.3e}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
