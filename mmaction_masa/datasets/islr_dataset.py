"""Isolated sign language recognition (ISLR) pose datasets.

Annotation files are MMAction2 ``PoseDataset`` pickles::

    dict(split=dict(train=[frame_dir, ...], test=[...], ...),
         annotations=[dict(frame_dir=str, label=int, total_frames=int,
                           keypoint=(M, T, V, 2) float32,
                           keypoint_score=(M, T, V) float32,
                           img_shape=(h, w),      # optional
                           gloss=str,             # optional
                           ...), ...])

``V`` is 49 (MASA's sign joints, :mod:`mmaction_masa.sign_layout`) or 133
(raw MMPose COCO-WholeBody). A plain list of annotations (no ``split``) is
accepted too. Every annotation is validated when the dataset is built, and
each problem raises :class:`AnnotationError` naming the file, the sample
(``frame_dir``) and the field.

Missing joints: non-finite coordinates or scores (NaN / inf) mark a joint as
missing; such joints get coordinates ``0`` and score ``0``, the convention
of MMPose and of every transform of this package.

Annotation files are pickles; they are read with
:class:`~mmaction_masa.safe_loading.RestrictedUnpickler` (numpy arrays,
numbers, strings and builtin containers only), so a file naming any other
global is refused with an :class:`AnnotationError` and runs no code.
"""
import logging
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import mmengine
import numpy as np
from mmengine.logging import print_log
from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS

from ..safe_loading import UnsafePickleError, restricted_loads
from ..sign_layout import NUM_JOINTS, NUM_WHOLEBODY_JOINTS

__all__ = [
    'ISLRDataset', 'AnnotationError', 'REQUIRED_KEYS', 'VALID_NUM_JOINTS',
    'UNLABELLED', 'MAX_SCORE', 'load_annotation_file', 'sanitize_annotation',
    'read_class_list'
]

#: Keys every annotation must have (``img_shape`` is optional).
REQUIRED_KEYS: Tuple[str, ...] = ('frame_dir', 'label', 'keypoint',
                                  'keypoint_score', 'total_frames')
#: Accepted joint counts: MASA's 49 sign joints or COCO-WholeBody's 133.
VALID_NUM_JOINTS: Tuple[int, ...] = (NUM_JOINTS, NUM_WHOLEBODY_JOINTS)
#: Label of an unlabelled clip (accepted with ``allow_unlabelled=True``).
UNLABELLED = -1
#: Highest accepted joint score. Scores are confidences in [0, 1], but a
#: real estimator exceeds 1 slightly: MMPose's RTMPose-WholeBody (SimCC
#: decoding) gives up to 1.061 on ``mmpose_wholebody_2signs_133kp.pkl``
#: (22 % of its scores are > 1). Scores in (1, MAX_SCORE] are clipped to 1
#: (and counted in the build log); below 0 or above MAX_SCORE is an error.
MAX_SCORE = 1.25


class AnnotationError(ValueError):
    """An annotation file, or one sample in it, is malformed."""


def _error(ann_file: str,
           frame_dir: Optional[str],
           field: Optional[str],
           problem: str) -> AnnotationError:
    """Build an :class:`AnnotationError` naming file, sample and field."""
    where = [str(ann_file)]
    if frame_dir is not None:
        where.append(f'sample {frame_dir!r}')
    if field is not None:
        where.append(f'field {field!r}')
    return AnnotationError(f'{", ".join(where)}: {problem}')


def _is_int(value) -> bool:
    """Whether ``value`` is a Python or numpy integer (not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_))


def load_annotation_file(
        ann_file: str) -> Tuple[List[dict], Optional[Dict[str, list]]]:
    """Read a PoseDataset pickle and check its top-level structure.

    Args:
        ann_file (str): Path (or mmengine file-backend URI) of the pickle.

    Returns:
        tuple: ``(annotations, split)``; ``split`` is ``None`` when the file
        is a plain list of annotations or has no ``split`` entry.

    Raises:
        FileNotFoundError: the file does not exist.
        AnnotationError: the file is not a readable pickle, names a global
            outside the allow-list of
            :data:`~mmaction_masa.safe_loading.ANNOTATION_SAFE_GLOBALS`
            (``MMACTION_MASA_TRUST_PICKLES=1`` lifts it), or its content
            is neither a list of annotations nor a dict with an
            ``annotations`` list (and an optional ``split`` dict of lists).
    """
    if not mmengine.exists(ann_file):
        raise FileNotFoundError(f'annotation file not found: {ann_file}')
    try:
        content = restricted_loads(mmengine.get(ann_file), str(ann_file))
    except UnsafePickleError as exc:
        raise AnnotationError(str(exc)) from None
    except Exception as exc:  # any unpickling failure means a corrupt file
        raise _error(ann_file, None, None,
                     'not a readable pickle file '
                     f'({type(exc).__name__}: {exc})') from exc
    if isinstance(content, list):
        content = dict(annotations=content)
    if not isinstance(content, dict) or 'annotations' not in content:
        raise _error(
            ann_file, None, 'annotations',
            'expected a dict with an "annotations" list (and optionally a '
            f'"split" dict) or a list of annotations, got '
            f'{type(content).__name__}' +
            (f' with keys {sorted(map(str, content))}'
             if isinstance(content, dict) else ''))
    annotations, split = content['annotations'], content.get('split')
    if not isinstance(annotations, list):
        raise _error(ann_file, None, 'annotations',
                     f'expected a list, got {type(annotations).__name__}')
    if not annotations:
        raise _error(ann_file, None, 'annotations', 'the file has no clips')
    if split is not None and not (isinstance(split, dict) and all(
            isinstance(v, (list, tuple)) for v in split.values())):
        raise _error(ann_file, None, 'split',
                     'expected a dict of split name -> list of frame_dir')
    return annotations, split


def sanitize_annotation(raw: dict,
                        ann_file: str,
                        index: int,
                        allow_unlabelled: bool = False,
                        stats: Optional[Dict[str, int]] = None) -> dict:
    """Validate one annotation and return a cleaned copy.

    The copy has ``keypoint`` / ``keypoint_score`` as contiguous float32
    arrays in which non-finite joints are missing (coordinates 0, score 0),
    and ``label`` / ``total_frames`` as Python ints. The label range is
    checked by the dataset, which knows the label space.

    Args:
        raw (dict): The annotation as stored in the file.
        ann_file (str): The file it came from (for error messages).
        index (int): Its position in the file (names samples that lack a
            ``frame_dir``).
        allow_unlabelled (bool): Accept ``label == -1``. Defaults to False.
        stats (dict, optional): Counters to update: ``clipped_scores`` (joint
            scores in (1, :data:`MAX_SCORE`] clipped to 1) and
            ``clipped_samples``. Defaults to None.

    Returns:
        dict: The cleaned annotation.

    Raises:
        AnnotationError: a required key is missing, ``keypoint`` is not
            ``(M, T, V, 2)`` with ``V`` in {49, 133}, the clip is empty,
            ``keypoint_score`` is not ``(M, T, V)``, ``total_frames``
            differs from ``T`` or is not an int, a finite score lies outside
            ``[0, MAX_SCORE]``, or ``label`` / ``img_shape`` is malformed.
    """
    if not isinstance(raw, dict):
        raise _error(ann_file, f'#{index}', None,
                     f'annotation is a {type(raw).__name__}, expected dict')
    frame_dir = raw.get('frame_dir', f'#{index}')
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise _error(ann_file, frame_dir, missing[0],
                     f'missing required field(s) {missing}')
    if not isinstance(frame_dir, str):
        raise _error(ann_file, f'#{index}', 'frame_dir',
                     f'expected str, got {type(frame_dir).__name__}')
    keypoint = _float_array(raw['keypoint'], ann_file, frame_dir, 'keypoint')
    score = _float_array(raw['keypoint_score'], ann_file, frame_dir,
                         'keypoint_score')
    _check_shapes(keypoint, score, ann_file, frame_dir)
    total_frames = raw['total_frames']
    if not _is_int(total_frames):
        raise _error(
            ann_file, frame_dir, 'total_frames',
            f'expected an int (the number of frames, T={keypoint.shape[1]} '
            f'here), got {type(total_frames).__name__} {total_frames!r}')
    if total_frames != keypoint.shape[1]:
        raise _error(
            ann_file, frame_dir, 'total_frames',
            f'{total_frames!r} disagrees with keypoint, which has '
            f'T={keypoint.shape[1]} frames (shape {keypoint.shape})')
    label = raw['label']
    if not _is_int(label) or (label < 0 and not
                              (allow_unlabelled and label == UNLABELLED)):
        raise _error(
            ann_file, frame_dir, 'label',
            f'expected a class index >= 0, got {label!r}' +
            ('' if allow_unlabelled else
             ' (-1 marks an unlabelled clip: pass allow_unlabelled=True)'))
    missing_joint = ~(np.isfinite(keypoint).all(-1) & np.isfinite(score))
    keypoint[missing_joint] = 0
    score[missing_joint] = 0
    clipped = _clip_scores(score, ann_file, frame_dir)
    if stats is not None:
        stats['clipped_scores'] = stats.get('clipped_scores', 0) + clipped
        stats['clipped_samples'] = stats.get('clipped_samples',
                                             0) + int(clipped > 0)
    clean = dict(raw, keypoint=keypoint, keypoint_score=score,
                 total_frames=int(total_frames), label=int(label))
    if 'img_shape' in raw:
        clean['img_shape'] = _img_shape(raw['img_shape'], ann_file,
                                        frame_dir)
    return clean


def _float_array(value, ann_file: str, frame_dir: str,
                 field: str) -> np.ndarray:
    """``value`` as a new contiguous float32 array, or an error."""
    try:
        return np.array(value, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise _error(ann_file, frame_dir, field,
                     f'not a numeric array ({exc})') from exc


def _clip_scores(score: np.ndarray, ann_file: str, frame_dir: str) -> int:
    """Clip scores in (1, MAX_SCORE] to 1 in place; return how many.

    Raises:
        AnnotationError: a score is below 0 or above :data:`MAX_SCORE`.
    """
    bad = (score < 0) | (score > MAX_SCORE)
    if bad.any():
        raise _error(
            ann_file, frame_dir, 'keypoint_score',
            f'{int(bad.sum())} score(s) outside [0, {MAX_SCORE}] (min '
            f'{score.min():g}, max {score.max():g}); joint scores are '
            'confidences in [0, 1] (up to MAX_SCORE is clipped to 1)')
    over = score > 1
    score[over] = 1
    return int(over.sum())


def _check_shapes(keypoint: np.ndarray, score: np.ndarray, ann_file: str,
                  frame_dir: str) -> None:
    """Check ``(M, T, V, 2)`` / ``(M, T, V)`` shapes, V and emptiness."""
    if keypoint.ndim != 4 or keypoint.shape[-1] != 2:
        raise _error(ann_file, frame_dir, 'keypoint',
                     f'expected shape (M, T, V, 2), got {keypoint.shape}')
    num_person, num_frames, num_joints = keypoint.shape[:3]
    if num_frames == 0 or num_person == 0:
        raise _error(
            ann_file, frame_dir, 'keypoint',
            f'empty clip: {num_frames} frames and {num_person} persons '
            f'(shape {keypoint.shape})')
    if num_joints not in VALID_NUM_JOINTS:
        raise _error(
            ann_file, frame_dir, 'keypoint',
            f'V={num_joints} joints; expected {NUM_JOINTS} (MASA sign '
            f'joints) or {NUM_WHOLEBODY_JOINTS} (COCO-WholeBody)')
    if score.shape != keypoint.shape[:3]:
        raise _error(
            ann_file, frame_dir, 'keypoint_score',
            f'shape {score.shape} does not match keypoint shape '
            f'{keypoint.shape}; expected {keypoint.shape[:3]} (M, T, V)')


def _img_shape(value, ann_file: str, frame_dir: str) -> Tuple[int, int]:
    """``img_shape`` as an ``(h, w)`` tuple of ints, or an error."""
    try:
        height, width = (int(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise _error(ann_file, frame_dir, 'img_shape',
                     f'expected (h, w), got {value!r}') from exc
    return height, width


def read_class_list(path: str) -> List[str]:
    """Class names, one per line, line ``i`` naming label ``i``.

    Lines of the form ``<i>\\t<name>`` with ``i`` equal to the line index
    (WLASL's ``wlasl_class_list.txt``) are accepted too. Trailing blank
    lines are ignored.

    Args:
        path (str): The class-list text file (UTF-8).

    Returns:
        list[str]: The class names.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a line is blank or the file is empty.
    """
    if not mmengine.exists(path):
        raise FileNotFoundError(f'class list not found: {path}')
    lines = [line.strip() for line in mmengine.get_text(path).splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or not all(lines):
        blank = lines.index('') + 1 if lines else 1
        raise ValueError(f'{path}: line {blank} is empty; expected one class '
                         'name per line')
    indexed = [re.fullmatch(r'(\d+)\t(.+)', line) for line in lines]
    if all(indexed) and [int(m.group(1))
                         for m in indexed] == list(range(len(lines))):
        return [m.group(2).strip() for m in indexed]
    return lines


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
            valid = _is_int(subset) and subset > 0
        else:
            valid = subset in self.SUBSETS
        if not valid:
            allowed = ('a positive int K (keeps labels < K)'
                       if self.SUBSETS is None else
                       f'one of {list(self.SUBSETS)}' if self.SUBSETS else
                       'None (this dataset has no subsets)')
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
            raise _error(self.ann_file, dup, 'frame_dir',
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
            raise _error(
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
                len(names) if names is not None else int(labels.max(
                    initial=UNLABELLED)) + 1)

    def _check_labels(self, labels: np.ndarray,
                      frame_dirs: Sequence[str]) -> None:
        """Every label is in ``[0, num_classes)`` (or unlabelled)."""
        bad = np.flatnonzero(((labels < 0) | (labels >= self.num_classes))
                             & (labels != UNLABELLED))
        if bad.size:
            first = bad[0]
            raise _error(
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
                raise _error(
                    self.ann_file, item['frame_dir'], 'gloss',
                    f'{item["gloss"]!r} differs from {known!r} given to '
                    f'other clips of label {item["label"]}')
        return glosses

    def _select_split(self, data_list: List[dict],
                      split: Optional[Dict[str, list]]) -> List[dict]:
        """Keep the clips of ``self.split`` (one name or several), in file
        order."""
        if split is None:
            raise _error(self.ann_file, None, 'split',
                         f'split={self.split!r} was requested but the file '
                         'has no "split" dict')
        names = [self.split] if isinstance(self.split, str) else list(
            self.split)
        known = {item['frame_dir'] for item in data_list}
        members = set()
        for name in names:
            if name not in split:
                raise _error(self.ann_file, None, 'split',
                             f'no split {name!r}; available: '
                             f'{sorted(split)}')
            if not split[name]:
                raise _error(self.ann_file, None, 'split',
                             f'split {name!r} lists no clips')
            unknown = set(split[name]).difference(known)
            if unknown:
                raise _error(
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
        labels = np.array([item['label'] for item in self.data_list],
                          np.int64)
        keep = np.isin(labels, kept_labels)
        if not keep.any():
            raise _error(
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
