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

Videos as recorded on phones: poses are resampled to the model's frame
rate (``pose_fps``, 30 by default; ``--fps`` replaces a wrong container
value), a stored rotation is applied, ``--mirror-tta`` averages the clip
and its mirror (selfie view, either hand), ``--window``/``--stride`` score
sliding windows (several signs in one take). A video (or window) without a
body and a hand in enough frames gets no gloss but a "no signing
detected" line and record; exit status 3 when no input had signing. A top
score below ``--min-score`` is reported as unsure. MediaPipe's logs are
silenced unless ``--verbose``.

Example::

    python tools/infer.py configs/masa/masa_finetune_wlasl100.py \\
        work_dirs/masa_wlasl100/best.pth clips.pkl sign.json my_sign.mp4 \\
        --out res.json
    python tools/infer.py CONFIG CKPT take.mp4 --window 2 --stride 1
"""
import argparse
import contextlib
import os
import os.path as osp
import sys
import warnings

#: Environment that quiets MediaPipe / TensorFlow Lite / absl (set before
#: they are imported; the native lines no variable reaches are dropped by
#: the pose extraction itself, see ``set_mediapipe_verbose``).
QUIET_ENV = dict(GLOG_minloglevel='2', TF_CPP_MIN_LOG_LEVEL='3')
#: Import-time warnings of the stack that say nothing to a user.
QUIET_WARNINGS = ('Fail to import ``MultiScaleDeformableAttention``',
                  'SymbolDatabase.GetPrototype')
if '--verbose' not in sys.argv[1:]:
    for _key, _value in QUIET_ENV.items():
        os.environ.setdefault(_key, _value)
    for _message in QUIET_WARNINGS:
        warnings.filterwarnings('ignore', message=_message)

# Imported after the environment and warning filters above.
# isort: off
import mmaction_masa  # noqa: E402,F401  registries + stack fixes
from mmaction_masa.apis.checkpoint_fit import (  # noqa: E402
    CheckpointMismatchError)
from mmaction_masa.apis.inference import (  # noqa: E402
    POSE_BACKENDS, PredictionWriter, build_test_pipeline, collect_glosses,
    iter_clips, load_recognizer, model_num_classes, resolve_class_names)
from mmaction_masa.apis.video_checks import (  # noqa: E402
    DEFAULT_MIN_SCORE, NO_SIGNING, iter_checked_predictions, model_pose_fps,
    prepare_clips, result_line)
from mmaction_masa.datasets.converters.mediapipe_poses import (  # noqa: E402
    set_mediapipe_verbose)
from mmaction_masa.safe_loading import (  # noqa: E402
    CheckpointReadError, UnsafePickleError)
# isort: on

#: Checkpoint problems reported as one line (exit status 2).
CHECKPOINT_ERRORS = (CheckpointMismatchError, CheckpointReadError,
                     UnsafePickleError)
#: Exit status when no input (or window) showed signing.
NO_SIGNING_STATUS = 3


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
    parser.add_argument(
        '--min-score',
        type=float,
        default=DEFAULT_MIN_SCORE,
        help='a top score below this is reported as unsure (default '
        f'{DEFAULT_MIN_SCORE}, measured on real clips; 0 turns it off)')
    parser.add_argument(
        '--fps',
        type=float,
        help="the videos' real frame rate, when the container's is wrong")
    parser.add_argument(
        '--window',
        type=float,
        help='score sliding windows of this many seconds (several signs in '
        'one take); default: the whole clip')
    parser.add_argument(
        '--stride',
        type=float,
        help='seconds between window starts (default: --window)')
    parser.add_argument(
        '--mirror-tta',
        action='store_true',
        help='average each clip with its left/right mirror (mirrored '
        'selfie recordings, left-handed signers)')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help='show the MediaPipe / TensorFlow Lite log lines')
    args = parser.parse_args()
    if args.topk < 1:
        parser.error(f'--topk must be >= 1, got {args.topk}')
    if not 0 <= args.min_score <= 1:
        parser.error(f'--min-score must be in [0, 1], got {args.min_score}')
    for name in ('fps', 'window', 'stride'):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f'--{name} must be > 0, got {value}')
    if args.stride is not None and args.window is None:
        parser.error('--stride needs --window')
    if args.batch_size < 1:
        parser.error(f'--batch-size must be >= 1, got {args.batch_size}')
    if not osp.isfile(args.checkpoint):
        parser.error(f'checkpoint not found: {args.checkpoint}')
    if args.out and not args.out.lower().endswith(PredictionWriter.SUFFIXES):
        parser.error(f'--out must end with .json or .jsonl, got {args.out}')
    return args


def _report(result: dict, min_score: float) -> bool:
    """Print one result; return whether it had signing."""
    line = result_line(result, min_score)
    signing = result.get('status') != NO_SIGNING
    print(line, flush=True)
    return signing


def main() -> int:
    """Run the tool from the command line.

    Returns:
        int: The exit status: 0, 2 for bad input or checkpoint, 3 when no
        input (or window) showed signing.
    """
    args = parse_args()
    set_mediapipe_verbose(args.verbose)
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
    count = signed = 0
    with contextlib.ExitStack() as stack:
        try:
            names = resolve_class_names(
                model_num_classes(model),
                args.class_list,
                meta,
                glosses=lambda: collect_glosses(args.inputs))
            prepared = prepare_clips(clips, model_pose_fps(cfg, meta),
                                     args.fps, args.window, args.stride)
            results = iter_checked_predictions(
                model, build_test_pipeline(cfg, args.mirror_tta), prepared,
                names, args.batch_size, args.topk, args.min_score)
            writer = (
                stack.enter_context(PredictionWriter(args.out))
                if args.out else None)
            for result in results:
                count += 1
                signed += _report(result, args.min_score)
                if writer is not None:
                    writer.write(result)
        except (ImportError, FileNotFoundError, ValueError) as exc:
            print(f'error: {exc}', file=sys.stderr)
            return 2
    if args.out:
        print(f'wrote {count} predictions to {args.out}')
    return 0 if signed or not count else NO_SIGNING_STATUS


if __name__ == '__main__':
    sys.exit(main())
