"""Export the backbone of a checkpoint as a plain, safely loadable file.

CKPT is a fine-tuned recognizer or a MASA pre-training checkpoint. OUT gets
``dict(state_dict=<backbone.* without the prefix>, meta=dict(backbone_cfg,
joint_layout, ...))``, which loads with ``torch.load(OUT,
weights_only=True)`` and into a ``MASABackbone`` with
``init_cfg=dict(type='Pretrained', checkpoint=OUT)``; ``--format
safetensors`` writes the same tensors as safetensors (no pickle, ``meta``
as JSON metadata), which loads the same way. With ``--onnx`` the
fine-tuned recognizer (backbone + head) is also exported to ONNX for inputs
``(1, 1, 1, T, 49, 3)`` and checked against PyTorch with onnxruntime
(needs ``pip install onnx onnxruntime``).

Example::

    python tools/export_backbone.py work_dirs/masa_pretrain/epoch_400.pth \\
        masa_backbone.pth
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
import mmaction_masa  # noqa: E402,F401  registries + stack fixes

from mmaction_masa.apis import load_recognizer  # noqa: E402
from mmaction_masa.apis.export import (  # noqa: E402
    EXPORT_FORMATS,
    check_onnx,
    checkpoint_config,
    export_backbone,
    export_onnx,
    load_training_checkpoint,
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
    parser.add_argument('--onnx',
                        help='also export the recognizer to this .onnx file')
    parser.add_argument(
        '--num-frames',
        type=int,
        help='T of the ONNX input (default: the test clip_len)')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    saved = export_backbone(args.checkpoint, args.out, args.config,
                            args.format)
    print(f'wrote {len(saved["state_dict"])} backbone tensors to {args.out}')
    if not args.onnx:
        return 0
    cfg = checkpoint_config(load_training_checkpoint(args.checkpoint),
                            args.config)
    if cfg is None or cfg.model.get('type') != 'RecognizerGCN':
        print(
            'error: --onnx needs the config of a fine-tuned RecognizerGCN '
            '(pass --config)',
            file=sys.stderr)
        return 2
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        print(
            f'error: --onnx needs onnx and onnxruntime ({exc}); pip '
            'install onnx onnxruntime',
            file=sys.stderr)
        return 2
    model = load_recognizer(cfg, args.checkpoint)[0]
    example = export_onnx(model, args.onnx, args.num_frames
                          or pipeline_clip_len(cfg))
    diff = check_onnx(model, args.onnx, example)
    print(f'wrote {args.onnx}; max abs difference onnxruntime vs PyTorch: '
          f'{diff:.3e}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
