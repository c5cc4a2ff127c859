"""NMFs-CSL (non-manual-feature-rich Chinese sign language) dataset."""
from typing import Callable, Dict, List, Optional, Union

import mmengine
import numpy as np

from mmaction.registry import DATASETS
from .islr_dataset import ISLRDataset

__all__ = ['NMFsCSLDataset', 'read_class_indices']


def read_class_indices(path: str, num_classes: int) -> np.ndarray:
    """Class indices listed one per line (blank lines ignored).

    Args:
        path (str): The text file.
        num_classes (int): Size of the label space; indices must be in
            ``[0, num_classes)``.

    Returns:
        np.ndarray: Sorted unique int64 class indices.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a line is not an integer in range, or no index is
            listed.
    """
    if not mmengine.exists(path):
        raise FileNotFoundError(f'class-index file not found: {path}')
    indices = []
    for number, line in enumerate(mmengine.get_text(path).splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if not line.isdigit() or int(line) >= num_classes:
            raise ValueError(
                f'{path}: line {number}: expected a class index in '
                f'[0, {num_classes}), got {line!r}')
        indices.append(int(line))
    if not indices:
        raise ValueError(f'{path}: lists no class index')
    return np.unique(np.array(indices, np.int64))


@DATASETS.register_module()
class NMFsCSLDataset(ISLRDataset):
    """NMFs-CSL: 1067 CSL words; settings total / confusing / normal.

    The model is always trained and evaluated over all 1067 classes; the
    ``confusing`` and ``normal`` settings evaluate on the clips of the
    confusing classes (words told apart by non-manual features; 610 in the
    NMFs-CSL paper) or of the other (normal) classes. No NMFs-CSL metadata
    ships with this package: the confusing classes are read from a file the
    user provides, one class index per line.

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        subset (str, optional): ``'total'`` (all clips), ``'confusing'`` or
            ``'normal'``; None is ``'total'``. Defaults to None.
        confusing_class_file (str, optional): Text file of the confusing
            class indices, one per line. Required by ``'confusing'`` and
            ``'normal'``. Defaults to None.
        **kwargs: See :class:`ISLRDataset` (``split``, ``class_list``,
            ``test_mode`` ...).
    """

    NUM_CLASSES = 1067
    SUBSETS = ('total', 'confusing', 'normal')

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 subset: Optional[str] = None,
                 confusing_class_file: Optional[str] = None,
                 **kwargs) -> None:
        if subset in ('confusing', 'normal') and confusing_class_file is None:
            raise ValueError(
                f'NMFsCSLDataset: subset {subset!r} needs '
                'confusing_class_file, a text file with one confusing class '
                'index per line')
        self.confusing_class_file = confusing_class_file
        super().__init__(ann_file, pipeline, subset=subset, **kwargs)

    def subset_labels(self) -> Optional[np.ndarray]:
        """Labels of the subset: None for total, else confusing / normal.

        Returns:
            np.ndarray or None: Sorted kept labels.
        """
        if self.subset in (None, 'total'):
            return None
        confusing = read_class_indices(self.confusing_class_file,
                                       self.num_classes)
        if self.subset == 'confusing':
            return confusing
        return np.setdiff1d(np.arange(self.num_classes), confusing)
