"""A small web page: a video or pose file in, skeleton and glosses out.

:class:`SignRecognizerApp` does the work (no web code): it loads the input
with :func:`~.inference.load_clips` (videos through MediaPipe Holistic),
scores it with the recognizer's test pipeline, and renders the skeleton
animation with the frames MotionAwareMask would hide
(:func:`~mmaction_masa.visualization.render_clip` with ``mask=True``).
:func:`build_app` wraps it in a Gradio page (``pip install gradio``;
imported only there).
"""
import tempfile
from pathlib import Path
from typing import Dict, Optional, Tuple, Union

from ..visualization import render_clip
from .inference import (build_test_pipeline, load_clips, load_recognizer,
                        predict_scores, resolve_class_names, topk_predictions)

__all__ = ['INPUT_SUFFIXES', 'SignRecognizerApp', 'build_app']

#: Files the page accepts.
INPUT_SUFFIXES = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.pkl', '.json',
                  '.pose')


class SignRecognizerApp:
    """Recognise one uploaded file and draw it.

    Args:
        config (str | Path): Recognizer config.
        checkpoint (str | Path): Its checkpoint.
        device (str): Defaults to ``'cpu'``.
        topk (int): Glosses returned. Defaults to 5.
        out_dir (str | Path, optional): Where the pictures go; None uses a
            temporary directory. Defaults to None.
    """

    def __init__(self,
                 config: Union[str, Path],
                 checkpoint: Union[str, Path],
                 device: str = 'cpu',
                 topk: int = 5,
                 out_dir: Optional[Union[str, Path]] = None) -> None:
        self.model, cfg, self.meta = load_recognizer(config, checkpoint,
                                                     device)
        self.pipeline = build_test_pipeline(cfg)
        self.num_classes = cfg.model.cls_head.num_classes
        self.topk = topk
        self.out_dir = Path(out_dir or tempfile.mkdtemp(prefix='masa_app_'))

    def __call__(
            self, path: Union[str,
                              Path]) -> Tuple[Dict[str, float], str, str, str]:
        """Top-k glosses and pictures of the first clip of a file.

        Args:
            path (str | Path): A video, annotation ``.pkl``, MMPose
                ``.json`` or pose-format ``.pose`` file.

        Returns:
            tuple: ``{gloss: score}`` of the top-k glosses, the skeleton
            animation (GIF), the frame strip (PNG) and a one-line summary.

        Raises:
            ValueError: no file, an unknown type or an unreadable file.
        """
        if not path:
            raise ValueError('upload a video or a pose file first')
        clip = load_clips([path])[0]
        scores = predict_scores(self.model, self.pipeline, [clip])
        names = resolve_class_names(
            self.num_classes, meta=self.meta, clips=[clip])
        best = topk_predictions(scores, [clip], names, self.topk)[0]['topk']
        animation, strip = render_clip(clip, self.out_dir, mask=True)
        frames = clip['keypoint'].shape[1]
        summary = (f'{clip["frame_dir"]}: {frames} frames, best gloss '
                   f'{best[0]["name"]} ({best[0]["score"]:.3f})')
        return ({
            p['name']: p['score']
            for p in best
        }, str(animation), str(strip), summary)


def build_app(app: SignRecognizerApp):
    """The Gradio page of ``app``.

    Args:
        app (SignRecognizerApp): The recognizer.

    Returns:
        gradio.Blocks: Upload box, button ``Recognise``, the top-k glosses
        (``gr.Label``), the animation with the masked frames, the strip and
        a summary line.

    Raises:
        ImportError: gradio is not installed.
    """
    try:
        import gradio as gr
    except ImportError as exc:
        raise ImportError('the web page needs gradio: pip install '
                          'gradio==6.31.0') from exc

    def run(path):
        try:
            return app(path)
        except (ValueError, FileNotFoundError, KeyError) as exc:
            raise gr.Error(str(exc)) from exc

    with gr.Blocks(title='MASA sign recognition') as page:
        gr.Markdown('# MASA sign recognition\nUpload a sign video (poses '
                    'by MediaPipe Holistic) or a pose file (.pkl, MMPose '
                    '.json, pose-format .pose).')
        upload = gr.File(
            label='video or pose file',
            file_types=list(INPUT_SUFFIXES),
            type='filepath',
            elem_id='upload')
        button = gr.Button('Recognise', variant='primary', elem_id='run')
        with gr.Row():
            glosses = gr.Label(
                num_top_classes=app.topk,
                label='top glosses',
                elem_id='glosses')
            summary = gr.Textbox(label='summary', elem_id='summary')
        with gr.Row():
            animation = gr.Image(
                label='skeleton (red: frames the '
                'motion-aware mask hides)',
                type='filepath',
                elem_id='animation')
            strip = gr.Image(
                label='frame strip', type='filepath', elem_id='strip')
        button.click(
            run, inputs=upload, outputs=[glosses, animation, strip, summary])
    return page
