"""Isolated sign language recognition (ISLR) pose datasets.

The annotation files are MMAction2 ``PoseDataset`` pickles of 49 or 133
joints; every annotation is validated when the dataset is built
(:mod:`.validation`), and each problem raises
:class:`~.validation.AnnotationError` naming the file, the sample
(``frame_dir``) and the field.
"""
import logging
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.logging import print_log

from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS
from .validation import (MAX_SCORE, UNLABELLED, annotation_error, is_int,
                         load_annotation_file, read_class_list,
                         sanitize_annotation)

__all__ = ['ISLRDataset']


@DATASETS.register_module()
class ISLRDataset(BaseActionDataset):
    """Validated ISLR pose dataset over MMAction2 PoseDataset pickles.

    Works for any label space; the benchmark subclasses fix the number of
    classes and the meaning of ``subset``. Labels are never remapped: a
    class subset only selects clips, so a model for a subset of ``K``
    contiguous classes (``labels < K``) needs ``K`` outputs.

    Loading (:meth:`load_data_list`) reads the pickle, validates and cleans
    every annotation of the file (see :func:`sanitize_annotation`), checks
    that each label lies in ``[0, num_classes)`` — a label outside the
    dataset's label space is always an error — and keeps the clips of
    ``split``. Filtering (:meth:`filter_data`) then keeps the clips whose
    label is in the subset (:meth:`subset_labels`) and logs how many it
    dropped.

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        split (str | Sequence[str], optional): Name(s) in the file's
            ``split`` dict whose clips (by ``frame_dir``) are used, e.g.
            ``('train', 'val')`` for pre-training on every clip that is not
            test; None uses every annotation. Defaults to None.
        subset (int, optional): Keep only clips with ``label < subset``;
            None keeps all. Subclasses restrict or redefine the accepted
            values (see :attr:`SUBSETS`). Defaults to None.
        num_classes (int, optional): Size of the full label space. None
            uses :attr:`NUM_CLASSES`, else the length of ``class_list``,
            else ``max(label) + 1`` over the whole file. Defaults to None.
        class_list (str, optional): Text file of class names (see
            :func:`read_class_list`) stored as ``metainfo['classes']``. When
            None, names come from the annotations' ``gloss`` (labels without
            one are named by their index). Defaults to None.
        allow_unlabelled (bool): Accept unlabelled clips (``label == -1``),
            e.g. for self-supervised pre-training. A ``subset`` drops them.
            Defaults to False.
        **kwargs: Passed to :class:`mmaction.datasets.BaseActionDataset`
            (``test_mode``, ``metainfo``, ``data_root``, ``lazy_init`` ...).
    """

    #: Full label space of the benchmark (None: from the data).
    NUM_CLASSES: Optional[int] = None
    #: Accepted ``subset`` values; None accepts any positive int ``K``.
    SUBSETS: Optional[Tuple] = None

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[Union[str, Sequence[str]]] = None,
                 subset: Optional[Union[int, str]] = None,
                 num_classes: Optional[int] = None,
                 class_list: Optional[str] = None,
                 allow_unlabelled: bool = False,
                 **kwargs) -> None:
        self._check_subset(subset)
        self.split = split
        self.subset = subset
        self.class_list = class_list
        self.allow_unlabelled = allow_unlabelled
        super().__init__(
            ann_file,
            pipeline=pipeline,
            num_classes=self.NUM_CLASSES
            if num_classes is None else num_classes,
            modality='Pose',
            **kwargs)

    def _check_subset(self, subset) -> None:
        """Raise ``ValueError`` when ``subset`` is not accepted."""
        if subset is None:
            return
        if isinstance(subset, (bool, np.bool_)):
            valid = False
        elif self.SUBSETS is None:
            valid = is_int(subset) and subset > 0
        else:
            valid = subset in self.SUBSETS
        if not valid:
            allowed = ('a positive int K (keeps labels < K)' if self.SUBSETS
                       is None else f'one of {list(self.SUBSETS)}' if
                       self.SUBSETS else 'None (this dataset has no subsets)')
            raise ValueError(f'{type(self).__name__}: subset must be '
                             f'{allowed}, got {subset!r}')

    def subset_labels(self) -> Optional[np.ndarray]:
        """Labels that ``subset`` keeps (None: keep every clip).

        Subclasses override this to map their subset names to labels. The
        base class keeps ``labels < subset``.

        Returns:
            np.ndarray or None: Sorted kept labels.
        """
        if self.subset is None:
            return None
        if self.subset > self.num_classes:
            raise ValueError(
                f'{type(self).__name__}: subset {self.subset} exceeds the '
                f'{self.num_classes} classes of {self.ann_file}')
        return np.arange(self.subset)

    def load_data_list(self) -> List[dict]:
        """Load, validate and clean the annotations of ``split``."""
        annotations, split = load_annotation_file(self.ann_file)
        stats: Dict[str, int] = {}
        data_list = [
            sanitize_annotation(raw, self.ann_file, i, self.allow_unlabelled,
                                stats) for i, raw in enumerate(annotations)
        ]
        self._log_clipped(stats)
        frame_dirs = [item['frame_dir'] for item in data_list]
        if len(set(frame_dirs)) != len(frame_dirs):
            dup = next(d for i, d in enumerate(frame_dirs)
                       if d in frame_dirs[:i])
            raise annotation_error(
                self.ann_file, dup, 'frame_dir',
                'duplicate frame_dir; clips must be unique')
        labels = np.array([item['label'] for item in data_list], np.int64)
        names = (
            read_class_list(self.class_list)
            if self.class_list is not None else None)
        self._resolve_num_classes(labels, names)
        self._check_labels(labels, frame_dirs)
        self._set_classes(data_list, names)
        if self.split is not None:
            data_list = self._select_split(data_list, split)
        self._check_empty_clips(data_list)
        return data_list

    def _log_clipped(self, stats: Dict[str, int]) -> None:
        """Log how many scores above 1 were clipped."""
        if stats.get('clipped_scores'):
            print_log(
                f'{type(self).__name__}: {self.ann_file}: clipped '
                f'{stats["clipped_scores"]} joint score(s) in (1, '
                f'{MAX_SCORE}] to 1 in {stats["clipped_samples"]} clip(s)',
                logger='current',
                level=logging.INFO)

    def _check_empty_clips(self, data_list: List[dict]) -> None:
        """Log clips without any detected joint (every score 0: they train
        on nothing); all of them empty is an error."""
        empty = [
            item['frame_dir'] for item in data_list
            if not item['keypoint_score'].any()
        ]
        where = f'{self.ann_file} (split {self.split!r})'
        if empty and len(empty) == len(data_list):
            raise annotation_error(
                self.ann_file, empty[0], 'keypoint_score',
                f'all {len(empty)} clip(s) of split {self.split!r} have no '
                'detected joint (every score is 0 or the coordinates are '
                'NaN/inf)')
        if empty:
            print_log(
                f'{type(self).__name__}: {where}: {len(empty)} of '
                f'{len(data_list)} clip(s) have no detected joint (every '
                f'score 0), e.g. {empty[:3]}',
                logger='current',
                level=logging.WARNING)

    def _resolve_num_classes(self, labels: np.ndarray,
                             names: Optional[List[str]]) -> None:
        """Fix ``self.num_classes`` (argument, class list or data)."""
        if names is not None and self.num_classes is not None and len(
                names) != self.num_classes:
            raise ValueError(
                f'{self.class_list}: {len(names)} class names, but the '
                f'dataset has num_classes={self.num_classes}')
        if self.num_classes is None:
            self.num_classes = (
                len(names) if names is not None else
                int(labels.max(initial=UNLABELLED)) + 1)

    def _check_labels(self, labels: np.ndarray,
                      frame_dirs: Sequence[str]) -> None:
        """Every label is in ``[0, num_classes)`` (or unlabelled)."""
        bad = np.flatnonzero(((labels < 0) | (labels >= self.num_classes))
                             & (labels != UNLABELLED))
        if bad.size:
            first = bad[0]
            raise annotation_error(
                self.ann_file, frame_dirs[first], 'label',
                f'label {labels[first]} is outside the label space '
                f'[0, {self.num_classes}) of {type(self).__name__} '
                f'({bad.size} clip(s) affected)')

    def _set_classes(self, data_list: List[dict],
                     names: Optional[List[str]]) -> None:
        """Store class names in ``metainfo['classes']`` if known."""
        if 'classes' in self._metainfo:
            return
        if names is None:
            glosses = self._glosses(data_list)
            if not glosses:
                return
            names = [glosses.get(i, str(i)) for i in range(self.num_classes)]
        self._metainfo['classes'] = tuple(names)

    def _glosses(self, data_list: List[dict]) -> Dict[int, str]:
        """Label -> gloss from the annotations; conflicts are errors."""
        glosses: Dict[int, str] = {}
        for item in data_list:
            if 'gloss' not in item or item['label'] == UNLABELLED:
                continue
            known = glosses.setdefault(item['label'], item['gloss'])
            if known != item['gloss']:
                raise annotation_error(
                    self.ann_file, item['frame_dir'], 'gloss',
                    f'{item["gloss"]!r} differs from {known!r} given to '
                    f'other clips of label {item["label"]}')
        return glosses

    def _select_split(self, data_list: List[dict],
                      split: Optional[Dict[str, list]]) -> List[dict]:
        """Keep the clips of ``self.split`` (one name or several), in file
        order."""
        if split is None:
            raise annotation_error(
                self.ann_file, None, 'split',
                f'split={self.split!r} was requested but the file '
                'has no "split" dict')
        names = [self.split] if isinstance(self.split, str) else list(
            self.split)
        known = {item['frame_dir'] for item in data_list}
        members = set()
        for name in names:
            if name not in split:
                raise annotation_error(
                    self.ann_file, None, 'split',
                    f'no split {name!r}; available: '
                    f'{sorted(split)}')
            if not split[name]:
                raise annotation_error(self.ann_file, None, 'split',
                                       f'split {name!r} lists no clips')
            unknown = set(split[name]).difference(known)
            if unknown:
                raise annotation_error(
                    self.ann_file, None, 'split',
                    f'split {name!r} names {len(unknown)} frame_dir(s) '
                    f'without an annotation, e.g. {sorted(unknown)[:3]}')
            members.update(split[name])
        return [item for item in data_list if item['frame_dir'] in members]

    def filter_data(self) -> List[dict]:
        """Keep the clips whose label is in the subset; log the drop."""
        kept_labels = self.subset_labels()
        if kept_labels is None:
            return self.data_list
        labels = np.array([item['label'] for item in self.data_list], np.int64)
        keep = np.isin(labels, kept_labels)
        if not keep.any():
            raise annotation_error(
                self.ann_file, None, 'label',
                f'subset {self.subset!r} keeps none of the {keep.size} clips '
                f'of split {self.split!r}')
        print_log(
            f'{type(self).__name__}: subset {self.subset!r} of '
            f'{self.ann_file} (split {self.split!r}) keeps {int(keep.sum())} '
            f'of {keep.size} clips, dropped {int((~keep).sum())} whose '
            'label is outside the subset',
            logger='current',
            level=logging.INFO)
        return [item for item, k in zip(self.data_list, keep) if k]
