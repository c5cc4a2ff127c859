"""Web page: upload a sign video or pose file, see skeleton and glosses.

Poses of a video come from MediaPipe Holistic; the page shows the top-5
glosses with scores, the skeleton animation with the frames the
motion-aware mask hides in red, and a frame strip (needs ``pip install
gradio==6.31.0``, which ``tools/setup_env.sh`` installs).

Example::

    python demo/gradio_app.py CONFIG CHECKPOINT --port 7860
"""
import argparse
import os
from typing import List, Optional

os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
import mmaction_masa  # noqa: E402,F401  (after the environment variable)
from mmaction_masa.apis.webapp import SignRecognizerApp, build_app  # noqa

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
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Serve the page until interrupted.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.
    """
    args = parse_args(argv)
    page = build_app(
        SignRecognizerApp(args.config, args.checkpoint, args.device))
    page.launch(server_name=args.host, server_port=args.port)


if __name__ == '__main__':
    main()
