"""Sign video demo: skeleton and top-5 glosses drawn on the video.

The shape of MMAction2's ``demo/demo_skeleton.py``: poses are estimated with
MediaPipe Holistic (runs offline on a CPU), the recognizer scores the clip
through its config's test pipeline (the normalisation used in training), and
the video is written back with the skeleton of every frame and the top-k
glosses with their scores.

Examples::

    python demo/demo_video.py my_sign.mp4 demo_out.mp4 \\
        --config configs/finetune/masa_finetune_wlasl2000.py \\
        --checkpoint work_dirs/masa_finetune_wlasl2000/epoch_60.pth
    # a camera: glosses of the last 64 frames, re-scored every 8 frames
    python demo/demo_video.py 0 webcam_out.mp4 --webcam --config CONFIG \\
        --checkpoint CKPT --max-frames 300 [--show]
"""
import argparse
import os.path as osp
import sys
import time
from typing import List, Optional

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis.demo import (StreamRecognizer, annotate_frames,
                                     recognise, write_video)
from mmaction_masa.apis.inference import (build_test_pipeline, load_recognizer,
                                          resolve_class_names)
from mmaction_masa.datasets.converters.mediapipe_poses import (
    extract_video_mediapipe, iter_video_frames)

__all__ = ['parse_args', 'run_video', 'run_webcam', 'main']


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
        help='output frame rate (default: the input\'s, else 30)')
    parser.add_argument(
        '--webcam',
        action='store_true',
        help='read the camera with index VIDEO instead of a file')
    parser.add_argument(
        '--window', type=int, default=64, help='webcam: frames scored')
    parser.add_argument(
        '--stride', type=int, default=8, help='webcam: frames between scores')
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
    if args.webcam and not args.video.isdigit():
        parser.error(f'--webcam takes a camera index as VIDEO, got '
                     f'{args.video!r}')
    return args


def _input_fps(capture_or_path) -> Optional[float]:
    """The frame rate an OpenCV capture reports, or None."""
    import cv2
    capture = capture_or_path
    if isinstance(capture_or_path, str):
        capture = cv2.VideoCapture(capture_or_path)
    fps = capture.get(cv2.CAP_PROP_FPS)
    if isinstance(capture_or_path, str):
        capture.release()
    return fps if fps and fps > 0 else None


def run_video(args: argparse.Namespace, model, pipeline, names) -> str:
    """Poses of the whole video, one scoring, the annotated video written.

    Returns:
        str: The report line.
    """
    start = time.perf_counter()
    track = extract_video_mediapipe(args.video, show_progress=True)
    topk = recognise(model, pipeline, track.keypoint, track.keypoint_score,
                     track.img_shape, names, args.topk,
                     osp.splitext(osp.basename(args.video))[0])
    fps = args.fps or _input_fps(args.video) or 30.0
    frames = annotate_frames(
        iter_video_frames(args.video), track.keypoint, track.keypoint_score,
        topk)
    count = write_video(frames, args.out_filename, fps)
    ranked = ', '.join(f'{p["name"]} {p["score"]:.3f}' for p in topk)
    return (f'{args.video}: {ranked}\nwrote {count} frames to '
            f'{args.out_filename} ({time.perf_counter() - start:.1f} s)')


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
    stream = StreamRecognizer(model, pipeline, names, args.window, args.stride,
                              args.topk)
    fps = args.fps or _input_fps(capture) or 30.0

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
    return f'last window: {ranked}\nwrote {count} frames to ' \
        f'{args.out_filename}'


def main(argv: Optional[List[str]] = None) -> int:
    """Run the demo.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        int: 0 on success, 2 for an unreadable input.
    """
    args = parse_args(argv)
    if not args.webcam and not osp.isfile(args.video):
        print(f'error: video not found: {args.video}', file=sys.stderr)
        return 2
    model, cfg, meta = load_recognizer(args.config, args.checkpoint,
                                       args.device)
    pipeline = build_test_pipeline(cfg)
    num_classes = cfg.model.cls_head.num_classes
    names = resolve_class_names(num_classes, args.label_map, meta)
    try:
        if args.webcam:
            report = run_webcam(args, model, pipeline, names)
        else:
            report = run_video(args, model, pipeline, names)
    except ValueError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == '__main__':
    sys.exit(main())
