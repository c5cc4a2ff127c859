"""Recognise signs in pose files or videos with a trained recognizer.

INPUT is an annotation pickle (MMAction2 PoseDataset format, 49 or 133
joints), an MMPoseInferencer whole-body prediction ``.json`` or a video.
Poses of a video are extracted first with ``--pose-backend mediapipe``
(default: MediaPipe Holistic, installed by ``tools/setup_env.sh``, runs
offline on a CPU) or ``mmpose`` (needs full mmcv, mmdet and mmpose). Every
clip then goes through the config's test pipeline, the normalisation used
in training. Each clip's top-k glosses are printed; ``--out`` also writes
them as JSON.

Example::

    python tools/infer.py configs/masa/masa_finetune_wlasl100.py \\
        work_dirs/masa_wlasl100/best.pth clips.pkl sign.json my_sign.mp4 \\
        --out res.json
"""
import argparse
import json
import os.path as osp
import sys
from pathlib import Path

from mmengine.utils import ProgressBar

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis.checkpoint_fit import CheckpointMismatchError
from mmaction_masa.apis.inference import (POSE_BACKENDS, build_test_pipeline,
                                          load_clips, load_recognizer,
                                          predict_scores, resolve_class_names,
                                          topk_predictions)
from mmaction_masa.safe_loading import CheckpointReadError, UnsafePickleError

#: Checkpoint problems reported as one line (exit status 2).
CHECKPOINT_ERRORS = (CheckpointMismatchError, CheckpointReadError,
                     UnsafePickleError)


def parse_args() -> argparse.Namespace:
    """Parse the command line.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='Recognise isolated signs with a trained recognizer')
    parser.add_argument('config', help='config file of the recognizer')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        'inputs',
        nargs='+',
        help='annotation .pkl, MMPose whole-body .json or video files')
    parser.add_argument('--out', help='write the predictions to this JSON')
    parser.add_argument(
        '--topk', type=int, default=5, help='classes shown per clip')
    parser.add_argument(
        '--class-list',
        help='text file with one class name per line (default: the '
        "checkpoint's class names, else the inputs' gloss, else indices)")
    parser.add_argument(
        '--batch-size', type=int, default=16, help='clips per forward pass')
    parser.add_argument('--device', default='cpu', help='e.g. cpu or cuda:0')
    parser.add_argument(
        '--pose-backend',
        choices=POSE_BACKENDS,
        default=POSE_BACKENDS[0],
        help='pose estimator of video inputs: mediapipe (default, offline '
        'on CPU) or mmpose (needs full mmcv + mmdet)')
    args = parser.parse_args()
    if args.topk < 1:
        parser.error(f'--topk must be >= 1, got {args.topk}')
    if args.batch_size < 1:
        parser.error(f'--batch-size must be >= 1, got {args.batch_size}')
    if not osp.isfile(args.checkpoint):
        parser.error(f'checkpoint not found: {args.checkpoint}')
    return args


def main() -> int:
    """Run the tool from the command line.

    Returns:
        int: The exit status.
    """
    args = parse_args()
    try:
        clips = load_clips(
            args.inputs, device=args.device, pose_backend=args.pose_backend)
    except (ImportError, FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    try:
        model, cfg, meta = load_recognizer(args.config, args.checkpoint,
                                           args.device)
    except CHECKPOINT_ERRORS as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    progress = ProgressBar(len(clips)) if len(clips) > 1 else None
    scores = predict_scores(model, build_test_pipeline(cfg), clips,
                            args.batch_size, progress)
    names = resolve_class_names(scores.shape[1], args.class_list, meta, clips)
    results = topk_predictions(scores, clips, names, args.topk)
    print()
    for result in results:
        ranked = ', '.join(f'{p["name"]} {p["score"]:.3f}'
                           for p in result['topk'])
        truth = '' if result['label'] is None else (
            f' (true: {result["label_name"]})')
        print(f'{result["frame_dir"]}{truth}: {ranked}')
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1))
        print(f'wrote {len(results)} predictions to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
