"""Sign video demo: skeleton and top-5 glosses drawn on the video.

The shape of MMAction2's ``demo/demo_skeleton.py``: poses are estimated with
MediaPipe Holistic (runs offline on a CPU), resampled to the model's frame
rate, the recognizer scores the clip (or sliding windows of it) through its
config's test pipeline (the normalisation used in training), and the video
is written back with the skeleton of every frame and the top-k glosses with
their scores (of the current window with ``--window``). A video (or window)
without a body and a hand in enough frames shows "no signing detected"
instead of glosses (exit status 3 when no window had signing); a top score
below ``--min-score`` shows "unsure". MediaPipe's logs are silenced unless
``--verbose``.

Examples::

    python demo/demo_video.py my_sign.mp4 demo_out.mp4 \\
        --config configs/finetune/masa_finetune_wlasl2000.py \\
        --checkpoint work_dirs/masa_finetune_wlasl2000/epoch_60.pth
    # several signs in one take: 2-second windows every second
    python demo/demo_video.py take.mp4 out.mp4 --config CONFIG \\
        --checkpoint CKPT --window 2 --stride 1
    # a camera: glosses of the last 2 s, re-scored every 0.25 s
    python demo/demo_video.py 0 webcam_out.mp4 --webcam --config CONFIG \\
        --checkpoint CKPT --max-frames 300 [--show]
"""
import argparse
import os
import os.path as osp
import sys
import time
import warnings
from typing import List, Optional, Tuple

if '--verbose' not in sys.argv[1:]:
    os.environ.setdefault('GLOG_minloglevel', '2')
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
    for _message in ('Fail to import ``MultiScaleDeformableAttention``',
                     'SymbolDatabase.GetPrototype'):
        warnings.filterwarnings('ignore', message=_message)

# Imported after the environment and warning filters above.
# isort: off
import mmaction_masa  # noqa: E402,F401  registries + stack fixes
from mmaction_masa.apis.demo import (  # noqa: E402
    StreamRecognizer, annotate_frames, frame_results, overlay_lines,
    recognise_video, write_video)
from mmaction_masa.apis.inference import (  # noqa: E402
    _clip, build_test_pipeline, load_recognizer, resolve_class_names)
from mmaction_masa.apis.video_checks import (  # noqa: E402
    DEFAULT_MIN_SCORE, NO_SIGNING, model_pose_fps, result_line)
from mmaction_masa.datasets.converters.mediapipe_poses import (  # noqa: E402
    extract_video_mediapipe, iter_video_frames, open_video,
    set_mediapipe_verbose, video_fps)
# isort: on

__all__ = ['parse_args', 'run_video', 'run_webcam', 'main']

#: Exit status when no window of the video showed signing.
NO_SIGNING_STATUS = 3
#: Webcam window and stride in seconds when not given.
WEBCAM_WINDOW, WEBCAM_STRIDE = 2.0, 0.25


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='MASA sign demo: skeleton + top-k glosses on a video')
    parser.add_argument(
        'video', help='input video file, or the camera index with --webcam')
    parser.add_argument('out_filename', help='output video (.mp4 or .avi)')
    parser.add_argument('--config', required=True, help='recognizer config')
    parser.add_argument('--checkpoint', required=True, help='checkpoint')
    parser.add_argument(
        '--label-map',
        help='class names, one a line (default: the checkpoint\'s)')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument('--topk', type=int, default=5, help='glosses shown')
    parser.add_argument(
        '--fps',
        type=float,
        help="the input's real frame rate, for the poses and the output "
        "(default: the container's, else 30)")
    parser.add_argument(
        '--min-score',
        type=float,
        default=DEFAULT_MIN_SCORE,
        help=f'"unsure" below this top score (default {DEFAULT_MIN_SCORE})')
    parser.add_argument(
        '--mirror-tta',
        action='store_true',
        help='average each clip with its left/right mirror')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help='show the MediaPipe / TensorFlow Lite log lines')
    parser.add_argument(
        '--webcam',
        action='store_true',
        help='read the camera with index VIDEO instead of a file')
    parser.add_argument(
        '--window',
        type=float,
        help='seconds scored together: sliding windows of a video '
        f'(default: the whole video); webcam default {WEBCAM_WINDOW}')
    parser.add_argument(
        '--stride',
        type=float,
        help='seconds between windows (default: --window; webcam '
        f'{WEBCAM_STRIDE})')
    parser.add_argument(
        '--max-frames',
        type=int,
        default=300,
        help='webcam: stop after this many frames (0: until q is pressed)')
    parser.add_argument(
        '--show', action='store_true', help='webcam: show a window (q quits)')
    args = parser.parse_args(argv)
    if args.topk < 1:
        parser.error(f'--topk must be >= 1, got {args.topk}')
    for name in ('fps', 'window', 'stride'):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f'--{name} must be > 0, got {value}')
    if args.webcam and not args.video.isdigit():
        parser.error(f'--webcam takes a camera index as VIDEO, got '
                     f'{args.video!r}')
    return args


def _input_fps(capture_or_path) -> Optional[float]:
    """The frame rate an OpenCV capture (or a video file) reports, or
    None."""
    import cv2
    if isinstance(capture_or_path, str):
        return video_fps(capture_or_path)
    fps = capture_or_path.get(cv2.CAP_PROP_FPS)
    return fps if fps and fps > 0 else None


def run_video(args: argparse.Namespace,
              model,
              pipeline,
              names,
              target_fps: float = 30.0) -> Tuple[str, bool]:
    """Poses of the whole video, scored whole or in windows, the annotated
    video written.

    Args:
        args (argparse.Namespace): The arguments.
        model: The recognizer.
        pipeline: Its test pipeline.
        names (Sequence[str]): Class names.
        target_fps (float): The model's frame rate. Defaults to 30.

    Returns:
        tuple[str, bool]: The report lines, and whether any window showed
        signing.
    """
    start = time.perf_counter()
    open_video(args.video).release()  # a clear error for a non-video
    track = extract_video_mediapipe(args.video, show_progress=True)
    fps = args.fps or _input_fps(args.video) or 30.0
    clip = _clip(
        osp.splitext(osp.basename(args.video))[0],
        track.keypoint[None],
        track.keypoint_score[None],
        track.img_shape,
        source=args.video)
    clip['fps'] = fps
    results = recognise_video(model, pipeline, clip, names, args.topk,
                              target_fps, args.window, args.stride,
                              args.min_score)
    shown = [
        overlay_lines(results[i])
        for i in frame_results(results, len(track.keypoint), fps)
    ]
    frames = annotate_frames(
        iter_video_frames(args.video), track.keypoint, track.keypoint_score,
        shown)
    count = write_video(frames, args.out_filename, fps)
    lines = [result_line(r, args.min_score) for r in results]
    report = '\n'.join(lines) + (
        f'\nwrote {count} frames to {args.out_filename} '
        f'({time.perf_counter() - start:.1f} s)')
    return report, any(r['status'] != NO_SIGNING for r in results)


def open_camera(index: int):
    """An opened ``cv2.VideoCapture`` of camera ``index``.

    Raises:
        SystemExit: no camera can be opened at ``index``.
    """
    import cv2
    capture = cv2.VideoCapture(index)
    if not capture.isOpened():
        capture.release()
        raise SystemExit(
            f'demo_video.py: no camera at index {index} (is a webcam '
            f'connected, /dev/video{index} readable?); give a video file '
            'without --webcam instead')
    return capture


def run_webcam(args: argparse.Namespace,
               model,
               pipeline,
               names,
               capture=None) -> str:
    """Score a camera stream over a sliding window; write what was shown.

    Args:
        args (argparse.Namespace): The arguments.
        model: The recognizer.
        pipeline: Its test pipeline.
        names (Sequence[str]): Class names.
        capture (optional): An opened ``cv2.VideoCapture``; None opens the
            camera ``args.video``. Defaults to None.

    Returns:
        str: The report line.
    """
    import cv2
    capture = capture or open_camera(int(args.video))
    fps = args.fps or _input_fps(capture) or 30.0
    window = round((args.window or WEBCAM_WINDOW) * fps)
    stride = round((args.stride or WEBCAM_STRIDE) * fps)
    stream = StreamRecognizer(model, pipeline, names, max(window, 1),
                              max(stride, 1), args.topk)

    def frames():
        while not args.max_frames or stream.frames_seen < args.max_frames:
            ok, frame = capture.read()
            if not ok:
                return
            shown = stream(frame)
            if args.show:
                cv2.imshow('MASA sign demo', shown)
                if cv2.waitKey(1) & 0xFF == ord('q'):
                    return
            yield shown

    try:
        count = write_video(frames(), args.out_filename, fps)
    finally:
        stream.close()
        capture.release()
        if args.show:
            cv2.destroyAllWindows()
    ranked = ', '.join(f'{p["name"]} {p["score"]:.3f}' for p in stream.topk)
    if not stream.signing:
        ranked = NO_SIGNING
    return f'last window: {ranked}\nwrote {count} frames to ' \
        f'{args.out_filename}'


def main(argv: Optional[List[str]] = None) -> int:
    """Run the demo.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        int: 0 on success, 2 for an unreadable input, 3 when no window of
        the video showed signing.
    """
    args = parse_args(argv)
    set_mediapipe_verbose(args.verbose)
    if not args.webcam and not osp.isfile(args.video):
        print(f'error: video not found: {args.video}', file=sys.stderr)
        return 2
    model, cfg, meta = load_recognizer(args.config, args.checkpoint,
                                       args.device)
    pipeline = build_test_pipeline(cfg, args.mirror_tta)
    num_classes = cfg.model.cls_head.num_classes
    names = resolve_class_names(num_classes, args.label_map, meta)
    signed = True
    try:
        if args.webcam:
            report = run_webcam(args, model, pipeline, names)
        else:
            report, signed = run_video(args, model, pipeline, names,
                                       model_pose_fps(cfg, meta))
    except ValueError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    print(report)
    return 0 if signed else NO_SIGNING_STATUS


if __name__ == '__main__':
    sys.exit(main())
