"""Write a picture per test clip: its poses, ground truth and prediction.

``tools/test.py --show-dir DIR`` adds this hook, like MMAction2's
``--show-dir`` (which draws video frames with the predicted label).
"""
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence

from mmengine.hooks import Hook

from mmaction.registry import HOOKS

__all__ = ['PredictionPictureHook']


@HOOKS.register_module()
class PredictionPictureHook(Hook):
    """Draw every test clip with its top-k prediction and ground truth.

    After each test iteration, each sample's clip is looked up in the test
    dataset by its ``frame_dir`` and drawn by
    :func:`~mmaction_masa.visualization.render_prediction` into
    ``<out_dir>/<index>_<frame_dir>.png`` (``index`` counts the clips in
    test order; ``/`` in ``frame_dir`` becomes ``_``).

    Args:
        out_dir (str): Folder of the pictures (created; relative paths are
            relative to the current directory).
        frames (int): Pose frames per picture. Defaults to 4.
        topk (int): Classes in the bar chart. Defaults to 5.
        max_pictures (int, optional): Stop after this many pictures; None
            draws every clip. Defaults to None.
        dpi (int): Pixels per inch. Defaults to 80.
    """

    priority = 'LOW'

    def __init__(self,
                 out_dir: str,
                 frames: int = 4,
                 topk: int = 5,
                 max_pictures: Optional[int] = None,
                 dpi: int = 80) -> None:
        if not out_dir:
            raise ValueError('out_dir must be a folder name')
        if frames < 1 or topk < 1 or dpi < 1:
            raise ValueError('frames, topk and dpi must be >= 1')
        if max_pictures is not None and max_pictures < 0:
            raise ValueError(f'max_pictures must be >= 0, got {max_pictures}')
        self.out_dir = out_dir
        self.frames = frames
        self.topk = topk
        self.max_pictures = max_pictures
        self.dpi = dpi
        self.written: List[str] = []
        self._index: Dict[str, int] = {}
        self._count = 0

    def before_test(self, runner) -> None:
        """Index the test dataset by ``frame_dir``."""
        dataset = runner.test_dataloader.dataset
        self._dataset = dataset
        self._index = {
            str(dataset.get_data_info(i)['frame_dir']): i
            for i in range(len(dataset))
        }
        self._names = self._class_names(runner)
        self._count = 0
        self.written = []

    def _class_names(self, runner) -> Optional[Sequence[str]]:
        """The dataset's class names (``metainfo['classes']``), if any."""
        classes = (getattr(self._dataset, 'metainfo', None)
                   or {}).get('classes')
        return None if classes is None else [str(c) for c in classes]

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch=None,
                        outputs: Optional[Sequence] = None) -> None:
        """Draw the batch's samples.

        Raises:
            KeyError: a sample's ``frame_dir`` is not in the test dataset.
        """
        # Imported here: matplotlib loads only when pictures are drawn.
        from ...visualization import render_prediction
        for sample in outputs or ():
            if self.max_pictures is not None and \
                    self._count >= self.max_pictures:
                return
            frame_dir = str(sample.metainfo['frame_dir'])
            if frame_dir not in self._index:
                raise KeyError(f'test sample {frame_dir!r} is not in the '
                               'test dataset')
            clip = self._dataset.get_data_info(self._index[frame_dir])
            scores = sample.pred_score.detach().float().cpu().numpy()
            names = self._names if self._names is not None and len(
                self._names) == len(scores) else [
                    str(i) for i in range(len(scores))
                ]
            label = None
            if 'gt_label' in sample:
                label = int(sample.gt_label.reshape(-1)[0])
            stem = re.sub(r'[^\w.-]+', '_', frame_dir)
            path = osp.join(self.out_dir, f'{self._count:05d}_{stem}.png')
            render_prediction(clip, scores, names, path, label, self.frames,
                              self.topk, self.dpi)
            self.written.append(path)
            self._count += 1
