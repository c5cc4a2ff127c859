"""A small web page: a video or pose file in, skeleton and glosses out.

:class:`SignRecognizerApp` does the work (no web code): it loads the input
with :func:`~.inference.load_clips` (videos through MediaPipe Holistic),
scores it with the recognizer's test pipeline, and renders the skeleton
animation with the frames MotionAwareMask would hide
(:func:`~mmaction_masa.visualization.render_clip` with ``mask=True``).
:func:`build_app` wraps it in a Gradio page (``pip install gradio``;
imported only there).

Videos are checked as in ``tools/infer.py`` (:mod:`.video_checks`): poses
are resampled to the model's frame rate, a video with nobody signing in
it gets no gloss but the message "no signing detected" with the counts,
partial detection a warning, and a top score below the page's ``min
score`` the word "unsure" in the summary.
"""
import tempfile
from pathlib import Path
from typing import Dict, Optional, Tuple, Union

from ..visualization import render_clip
from .inference import (build_test_pipeline, load_clips, load_recognizer,
                        resolve_class_names)
from .video_checks import (DEFAULT_MIN_SCORE, NO_SIGNING,
                           iter_checked_predictions, model_pose_fps,
                           prepare_clips)

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
        min_score (float): Default "unsure" threshold. Defaults to
            :data:`~.video_checks.DEFAULT_MIN_SCORE`.
    """

    def __init__(self,
                 config: Union[str, Path],
                 checkpoint: Union[str, Path],
                 device: str = 'cpu',
                 topk: int = 5,
                 out_dir: Optional[Union[str, Path]] = None,
                 min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.model, cfg, self.meta = load_recognizer(config, checkpoint,
                                                     device)
        self.pipeline = build_test_pipeline(cfg)
        self.pose_fps = model_pose_fps(cfg, self.meta)
        self.min_score = min_score
        self.num_classes = cfg.model.cls_head.num_classes
        self.topk = topk
        self.out_dir = Path(out_dir or tempfile.mkdtemp(prefix='masa_app_'))

    def __call__(
        self,
        path: Union[str, Path],
        min_score: Optional[float] = None
    ) -> Tuple[Dict[str, float], Optional[str], Optional[str], str]:
        """Top-k glosses and pictures of the first clip of a file.

        Args:
            path (str | Path): A video, annotation ``.pkl``, MMPose
                ``.json`` or pose-format ``.pose`` file.
            min_score (float, optional): "unsure" below this top score;
                None uses the app's. Defaults to None.

        Returns:
            tuple: ``{gloss: score}`` of the top-k glosses, the skeleton
            animation (GIF), the frame strip (PNG) and a one-line summary.
            A video without signing gives no glosses, no pictures and the
            summary ``NAME: no signing detected in FILE (counts)``.

        Raises:
            ValueError: no file, an unknown type or an unreadable file.
        """
        if not path:
            raise ValueError('upload a video or a pose file first')
        min_score = self.min_score if min_score is None else min_score
        clip = load_clips([path])[0]
        names = resolve_class_names(
            self.num_classes, meta=self.meta, clips=[clip])
        clip, = prepare_clips([clip], self.pose_fps)
        result, = iter_checked_predictions(
            self.model,
            self.pipeline, [clip],
            names,
            k=self.topk,
            min_score=min_score)
        if result['status'] == NO_SIGNING:
            return {}, None, None, f'{clip["frame_dir"]}: {result["message"]}'
        best = result['topk']
        animation, strip = render_clip(clip, self.out_dir, mask=True)
        frames = clip['keypoint'].shape[1]
        summary = (f'{clip["frame_dir"]}: {frames} frames, best gloss '
                   f'{best[0]["name"]} ({best[0]["score"]:.3f})')
        if result['status'] == 'unsure':
            summary += f'; unsure: top score below {min_score:g}'
        if result['warning']:
            summary += f'; {result["warning"]}'
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

    def run(path, min_score):
        try:
            return app(path, min_score)
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
        min_score = gr.Slider(
            0.0,
            1.0,
            value=app.min_score,
            step=0.05,
            label='min score (a lower top score is reported as unsure)',
            elem_id='min_score')
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
            run,
            inputs=[upload, min_score],
            outputs=[glosses, animation, strip, summary])
    return page
