"""Web page: upload a sign video or pose file, see skeleton and glosses.

Poses of a video come from MediaPipe Holistic; the page shows the top-5
glosses with scores, the skeleton animation with the frames the
motion-aware mask hides in red, and a frame strip (needs ``pip install
gradio==6.31.0``, which ``tools/setup_env.sh`` installs). A file that is
not a video is refused with a message; a video with nobody signing in it
gets "no signing detected" and no gloss; a top score below the page's
``min score`` slider (default ``--min-score``) is reported as unsure.
MediaPipe's logs are silenced unless ``--verbose``.

Example::

    python demo/gradio_app.py CONFIG CHECKPOINT --port 7860
"""
import argparse
import os
import sys
import warnings
from typing import List, Optional

os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
if '--verbose' not in sys.argv[1:]:
    os.environ.setdefault('GLOG_minloglevel', '2')
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
    for _message in ('Fail to import ``MultiScaleDeformableAttention``',
                     'SymbolDatabase.GetPrototype'):
        warnings.filterwarnings('ignore', message=_message)
# Imported after the environment and warning filters above.
# isort: off
import mmaction_masa  # noqa: E402,F401  (after the environment variable)
from mmaction_masa.apis.video_checks import DEFAULT_MIN_SCORE  # noqa: E402
from mmaction_masa.apis.webapp import SignRecognizerApp, build_app  # noqa
from mmaction_masa.datasets.converters.mediapipe_poses import (  # noqa: E402
    set_mediapipe_verbose)
# isort: on

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description='MASA sign web page')
    parser.add_argument('config', help='recognizer config')
    parser.add_argument('checkpoint', help='checkpoint')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument('--host', default='127.0.0.1', help='address')
    parser.add_argument('--port', type=int, default=7860, help='port')
    parser.add_argument(
        '--min-score',
        type=float,
        default=DEFAULT_MIN_SCORE,
        help='the page\'s default "unsure" threshold')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help='show the MediaPipe / TensorFlow Lite log lines')
    args = parser.parse_args(argv)
    if not 0 <= args.min_score <= 1:
        parser.error(f'--min-score must be in [0, 1], got {args.min_score}')
    return args


def main(argv: Optional[List[str]] = None) -> None:
    """Serve the page until interrupted.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    args = parse_args(argv)
    set_mediapipe_verbose(args.verbose)
    page = build_app(
        SignRecognizerApp(
            args.config,
            args.checkpoint,
            args.device,
            min_score=args.min_score))
    page.launch(server_name=args.host, server_port=args.port)


if __name__ == '__main__':
    main()
