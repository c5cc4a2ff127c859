"""Validation of ISLR annotation files (MMAction2 ``PoseDataset`` pickles).

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
accepted too. Each problem raises :class:`AnnotationError` naming the file,
the sample (``frame_dir``) and the field.

Missing joints: non-finite coordinates or scores (NaN / inf) mark a joint as
missing; such joints get coordinates ``0`` and score ``0``, the convention
of MMPose and of every transform of this package.

Annotation files are pickles; they are read with
:class:`~mmaction_masa.safe_loading.RestrictedUnpickler` (numpy arrays,
numbers, strings and builtin containers only), so a file naming any other
global is refused with an :class:`AnnotationError` and runs no code.
"""
import re
from typing import Dict, List, Optional, Tuple

import mmengine
import numpy as np

from ..safe_loading import UnsafePickleError, restricted_loads
from ..sign_layout import NUM_JOINTS, NUM_WHOLEBODY_JOINTS

__all__ = [
    'AnnotationError', 'annotation_error', 'is_int', 'REQUIRED_KEYS',
    'VALID_NUM_JOINTS', 'UNLABELLED', 'MAX_SCORE', 'load_annotation_file',
    'sanitize_annotation', 'read_class_list'
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


def annotation_error(ann_file: str, frame_dir: Optional[str],
                     field: Optional[str], problem: str) -> AnnotationError:
    """Build an :class:`AnnotationError` naming file, sample and field."""
    where = [str(ann_file)]
    if frame_dir is not None:
        where.append(f'sample {frame_dir!r}')
    if field is not None:
        where.append(f'field {field!r}')
    return AnnotationError(f'{", ".join(where)}: {problem}')


def is_int(value: object) -> bool:
    """Whether ``value`` is a Python or numpy integer (not a bool)."""
    return isinstance(
        value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


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
        raise annotation_error(
            ann_file, None, None, 'not a readable pickle file '
            f'({type(exc).__name__}: {exc})') from exc
    if isinstance(content, list):
        content = dict(annotations=content)
    if not isinstance(content, dict) or 'annotations' not in content:
        raise annotation_error(
            ann_file, None, 'annotations',
            'expected a dict with an "annotations" list (and optionally a '
            f'"split" dict) or a list of annotations, got '
            f'{type(content).__name__}' +
            (f' with keys {sorted(map(str, content))}' if isinstance(
                content, dict) else ''))
    annotations, split = content['annotations'], content.get('split')
    if not isinstance(annotations, list):
        raise annotation_error(
            ann_file, None, 'annotations',
            f'expected a list, got {type(annotations).__name__}')
    if not annotations:
        raise annotation_error(ann_file, None, 'annotations',
                               'the file has no clips')
    if split is not None and not (isinstance(split, dict) and all(
            isinstance(v, (list, tuple)) for v in split.values())):
        raise annotation_error(
            ann_file, None, 'split',
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
        raise annotation_error(
            ann_file, f'#{index}', None,
            f'annotation is a {type(raw).__name__}, expected dict')
    frame_dir = raw.get('frame_dir', f'#{index}')
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise annotation_error(ann_file, frame_dir, missing[0],
                               f'missing required field(s) {missing}')
    if not isinstance(frame_dir, str):
        raise annotation_error(
            ann_file, f'#{index}', 'frame_dir',
            f'expected str, got {type(frame_dir).__name__}')
    keypoint = _float_array(raw['keypoint'], ann_file, frame_dir, 'keypoint')
    score = _float_array(raw['keypoint_score'], ann_file, frame_dir,
                         'keypoint_score')
    _check_shapes(keypoint, score, ann_file, frame_dir)
    total_frames = raw['total_frames']
    if not is_int(total_frames):
        raise annotation_error(
            ann_file, frame_dir, 'total_frames',
            f'expected an int (the number of frames, T={keypoint.shape[1]} '
            f'here), got {type(total_frames).__name__} {total_frames!r}')
    if total_frames != keypoint.shape[1]:
        raise annotation_error(
            ann_file, frame_dir, 'total_frames',
            f'{total_frames!r} disagrees with keypoint, which has '
            f'T={keypoint.shape[1]} frames (shape {keypoint.shape})')
    label = raw['label']
    if not is_int(label) or (label < 0 and
                             not (allow_unlabelled and label == UNLABELLED)):
        raise annotation_error(
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
    clean = dict(
        raw,
        keypoint=keypoint,
        keypoint_score=score,
        total_frames=int(total_frames),
        label=int(label))
    if 'img_shape' in raw:
        clean['img_shape'] = _img_shape(raw['img_shape'], ann_file, frame_dir)
    return clean


def _float_array(value, ann_file: str, frame_dir: str,
                 field: str) -> np.ndarray:
    """``value`` as a new contiguous float32 array, or an error."""
    try:
        return np.array(value, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise annotation_error(ann_file, frame_dir, field,
                               f'not a numeric array ({exc})') from exc


def _clip_scores(score: np.ndarray, ann_file: str, frame_dir: str) -> int:
    """Clip scores in (1, MAX_SCORE] to 1 in place; return how many.

    Raises:
        AnnotationError: a score is below 0 or above :data:`MAX_SCORE`.
    """
    bad = (score < 0) | (score > MAX_SCORE)
    if bad.any():
        raise annotation_error(
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
        raise annotation_error(
            ann_file, frame_dir, 'keypoint',
            f'expected shape (M, T, V, 2), got {keypoint.shape}')
    num_person, num_frames, num_joints = keypoint.shape[:3]
    if num_frames == 0 or num_person == 0:
        raise annotation_error(
            ann_file, frame_dir, 'keypoint',
            f'empty clip: {num_frames} frames and {num_person} persons '
            f'(shape {keypoint.shape})')
    if num_joints not in VALID_NUM_JOINTS:
        raise annotation_error(
            ann_file, frame_dir, 'keypoint',
            f'V={num_joints} joints; expected {NUM_JOINTS} (MASA sign '
            f'joints) or {NUM_WHOLEBODY_JOINTS} (COCO-WholeBody)')
    if score.shape != keypoint.shape[:3]:
        raise annotation_error(
            ann_file, frame_dir, 'keypoint_score',
            f'shape {score.shape} does not match keypoint shape '
            f'{keypoint.shape}; expected {keypoint.shape[:3]} (M, T, V)')


def _img_shape(value, ann_file: str, frame_dir: str) -> Tuple[int, int]:
    """``img_shape`` as an ``(h, w)`` tuple of ints, or an error."""
    try:
        height, width = (int(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise annotation_error(ann_file, frame_dir, 'img_shape',
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
