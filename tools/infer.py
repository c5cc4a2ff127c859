"""Recognise signs in pose files or videos with a trained recognizer.

INPUT is an annotation pickle (MMAction2 PoseDataset format, 49 or 133
joints), an MMPoseInferencer whole-body prediction ``.json`` or a video.
Poses of a video are extracted first with ``--pose-backend mediapipe``
(default: MediaPipe Holistic, installed by ``tools/setup_env.sh``, runs
offline on a CPU) or ``mmpose`` (needs full mmcv, mmdet and mmpose). Every
clip then goes through the config's test pipeline, the normalisation used
in training. Each clip's top-k glosses are printed; ``--out`` also writes
them, as a JSON list (``.json``) or JSON lines (``.jsonl``). Clips are
streamed: an annotation pickle is read one clip at a time and each result
is printed and written as soon as its batch is scored, so memory does not
grow with the number of clips (``benchmarks/inference_memory.py``).

Example::

    python tools/infer.py configs/masa/masa_finetune_wlasl100.py \\
        work_dirs/masa_wlasl100/best.pth clips.pkl sign.json my_sign.mp4 \\
        --out res.json
"""
import argparse
import contextlib
import os.path as osp
import sys

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis.checkpoint_fit import CheckpointMismatchError
from mmaction_masa.apis.inference import (POSE_BACKENDS, PredictionWriter,
                                          build_test_pipeline, collect_glosses,
                                          iter_clips, iter_predictions,
                                          load_recognizer, model_num_classes,
                                          resolve_class_names)
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
    parser.add_argument(
        '--out',
        help='write the predictions to this file: .json (a list) or .jsonl '
        '(one line per clip), written as the clips are scored')
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
    if args.out and not args.out.lower().endswith(PredictionWriter.SUFFIXES):
        parser.error(f'--out must end with .json or .jsonl, got {args.out}')
    return args


def main() -> int:
    """Run the tool from the command line.

    Returns:
        int: The exit status.
    """
    args = parse_args()
    try:
        clips = iter_clips(
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
    count = 0
    with contextlib.ExitStack() as stack:
        try:
            names = resolve_class_names(
                model_num_classes(model),
                args.class_list,
                meta,
                glosses=lambda: collect_glosses(args.inputs))
            results = iter_predictions(model, build_test_pipeline(cfg), clips,
                                       names, args.batch_size, args.topk)
            writer = (
                stack.enter_context(PredictionWriter(args.out))
                if args.out else None)
            for result in results:
                count += 1
                ranked = ', '.join(f'{p["name"]} {p["score"]:.3f}'
                                   for p in result['topk'])
                truth = '' if result['label'] is None else (
                    f' (true: {result["label_name"]})')
                print(f'{result["frame_dir"]}{truth}: {ranked}', flush=True)
                if writer is not None:
                    writer.write(result)
        except (ImportError, FileNotFoundError, ValueError) as exc:
            print(f'error: {exc}', file=sys.stderr)
            return 2
    if args.out:
        print(f'wrote {count} predictions to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
