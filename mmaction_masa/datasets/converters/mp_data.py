"""The MediaPipe tutorial layout ``MP_Data/<gloss>/<seq>/<frame>.npy``.

Sign-language tutorials built on MediaPipe Holistic store one flat vector
per frame, ``np.save``-d as ``<frame>.npy`` (``0.npy``, ``1.npy`` ...) in
one folder per sequence and one folder per gloss. The vector concatenates
the parts in the order pose, face, left hand, right hand, each flattened
landmark by landmark, with zeros where MediaPipe found nothing. The vector
length tells which parts were kept (:data:`MP_DATA_LAYOUTS`):

==========  ==================================================
length      parts
==========  ==================================================
1662        pose 33 x (x, y, z, visibility), face 468 x (x, y, z),
            left hand 21 x (x, y, z), right hand 21 x (x, y, z)
258         pose 33 x 4, left hand 21 x 3, right hand 21 x 3
126         left hand 21 x 3, right hand 21 x 3 (no body: body joints get
            score 0)
==========  ==================================================

Coordinates are normalised by the frame size, so the frame's ``(h, w)``
must be given to get pixels. The conversion to the 49 sign joints is
:func:`~.mediapipe_poses.mediapipe_to_sign_joints`, the one used for live
MediaPipe extraction.
"""
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from .mediapipe_poses import (NUM_MP_FACE, NUM_MP_HAND, NUM_MP_POSE,
                              mediapipe_to_sign_joints)
from .records import BuildResult

__all__ = [
    'MP_DATA_LAYOUTS', 'split_landmark_vectors', 'read_mp_sequence',
    'find_mp_sequences', 'build_mp_data_annotations'
]

#: Vector length -> the parts it holds, as ``(name, landmarks, values)``.
MP_DATA_LAYOUTS: Dict[int, Tuple[Tuple[str, int, int], ...]] = {
    1662: (('pose', NUM_MP_POSE, 4), ('face', NUM_MP_FACE, 3),
           ('left_hand', NUM_MP_HAND, 3), ('right_hand', NUM_MP_HAND, 3)),
    258: (('pose', NUM_MP_POSE, 4), ('left_hand', NUM_MP_HAND, 3),
          ('right_hand', NUM_MP_HAND, 3)),
    126: (('left_hand', NUM_MP_HAND, 3), ('right_hand', NUM_MP_HAND, 3)),
}


def split_landmark_vectors(vectors: np.ndarray,
                           source: str = '') -> Dict[str, np.ndarray]:
    """Cut ``(T, L)`` flat vectors into their MediaPipe parts.

    Args:
        vectors (np.ndarray): One flat vector per frame.
        source (str): Name for error messages. Defaults to ''.

    Returns:
        dict[str, np.ndarray]: ``pose`` ``(T, 33, 4)``, ``left_hand`` /
        ``right_hand`` ``(T, 21, 3)`` (and ``face`` ``(T, 468, 3)`` when
        stored); a pose that is not stored is all zeros.

    Raises:
        ValueError: ``L`` is not a known layout.
    """
    length = vectors.shape[1]
    if length not in MP_DATA_LAYOUTS:
        raise ValueError(
            f'{source}: field "vector length" is {length}; known MediaPipe '
            f'layouts are {sorted(MP_DATA_LAYOUTS, reverse=True)} (pose '
            '33x4, face 468x3, hands 21x3 each)')
    parts, start = {}, 0
    for name, num, values in MP_DATA_LAYOUTS[length]:
        stop = start + num * values
        parts[name] = vectors[:, start:stop].reshape(-1, num, values)
        start = stop
    parts.setdefault('pose',
                     np.zeros((len(vectors), NUM_MP_POSE, 4), vectors.dtype))
    return parts


def _frame_files(seq_dir: Path) -> List[Path]:
    """The ``<int>.npy`` files of a sequence, in frame order.

    Raises:
        ValueError: a ``.npy`` name is not an integer, or none exists.
    """
    files = sorted(seq_dir.glob('*.npy'))
    bad = [f.name for f in files if not f.stem.isdigit()]
    if bad:
        raise ValueError(f'{seq_dir}: frame files must be named '
                         f'<frame index>.npy, got {bad[:3]}')
    if not files:
        raise ValueError(f'{seq_dir}: no <frame>.npy file')
    return sorted(files, key=lambda f: int(f.stem))


def _load_vector(path: Path) -> np.ndarray:
    """One frame's flat vector.

    Raises:
        ValueError: not a readable numeric 1-D ``.npy`` file.
    """
    try:
        vector = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise ValueError(f'{path}: not a NumPy .npy file ({exc})') from exc
    if vector.ndim != 1 or not np.issubdtype(vector.dtype, np.number):
        raise ValueError(f'{path}: expected a flat numeric vector, got '
                         f'shape {vector.shape} of {vector.dtype}')
    return vector.astype(np.float32)


def read_mp_sequence(
        seq_dir: Union[str, Path],
        img_shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """One sequence folder -> 49 sign joints.

    Args:
        seq_dir (str | Path): ``MP_Data/<gloss>/<seq>``.
        img_shape (tuple[int, int]): ``(h, w)`` of the recorded frames.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(T, 49, 2)`` pixel coordinates and
        ``(T, 49)`` scores.

    Raises:
        ValueError: bad frame names or files, frames of different lengths
            or an unknown layout (the message names the file and field).
    """
    seq_dir = Path(seq_dir)
    files = _frame_files(seq_dir)
    vectors = [_load_vector(f) for f in files]
    lengths = np.array([len(v) for v in vectors])
    odd = np.flatnonzero(lengths != lengths[0])
    if odd.size:
        raise ValueError(
            f'{files[odd[0]]}: field "vector length" is {lengths[odd[0]]}, '
            f'but {files[0].name} of the same sequence has {lengths[0]}')
    parts = split_landmark_vectors(np.stack(vectors), str(seq_dir))
    return mediapipe_to_sign_joints(parts['pose'], parts['left_hand'],
                                    parts['right_hand'], img_shape)


def _natural_key(path: Path) -> Tuple[int, Union[int, str]]:
    """Numeric names in number order, before the other names."""
    return (0, int(path.name)) if path.name.isdigit() else (1, path.name)


def find_mp_sequences(root: Union[str, Path]) -> Dict[str, List[Path]]:
    """Gloss -> its sequence folders, from ``MP_Data/<gloss>/<seq>/``.

    Args:
        root (str | Path): The ``MP_Data`` folder.

    Returns:
        dict[str, list[Path]]: Glosses sorted by name, each with its
        sequence folders in (numeric) order; glosses with no sequence are
        left out.

    Raises:
        FileNotFoundError: ``root`` is not a folder.
        ValueError: no sequence found.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f'MP_Data folder not found: {root}')
    sequences = {}
    for gloss_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        seqs = sorted((p for p in gloss_dir.iterdir() if p.is_dir()),
                      key=_natural_key)
        if seqs:
            sequences[gloss_dir.name] = seqs
    if not sequences:
        raise ValueError(f'{root}: no <gloss>/<sequence>/ folder')
    return sequences


def _test_count(num: int, test_fraction: float) -> int:
    """Sequences of a gloss held out for testing (at least one kept)."""
    if test_fraction <= 0 or num < 2:
        return 0
    return min(num - 1, max(1, int(round(num * test_fraction))))


def build_mp_data_annotations(root: Union[str, Path],
                              img_shape: Tuple[int, int],
                              class_names: Optional[Sequence[str]] = None,
                              test_fraction: float = 0.0) -> BuildResult:
    """Annotations of every sequence of an ``MP_Data`` folder.

    Args:
        root (str | Path): The ``MP_Data`` folder.
        img_shape (tuple[int, int]): ``(h, w)`` of the recorded frames.
        class_names (Sequence[str], optional): Label order; None sorts the
            gloss folders by name. Defaults to None.
        test_fraction (float): Per gloss, the last
            ``round(n * test_fraction)`` sequences (at least 1, at most
            ``n - 1``) go to split ``test`` and the rest to ``train``; 0 puts
            all in split ``all``. Defaults to 0.

    Returns:
        BuildResult: One clip per sequence (``frame_dir`` =
        ``<gloss>/<seq>``, ``label``, ``gloss``, 49 joints, ``img_shape``).

    Raises:
        ValueError: a gloss folder is not in ``class_names``, or a bad
            sequence (see :func:`read_mp_sequence`).
    """
    sequences = find_mp_sequences(root)
    names = list(class_names) if class_names is not None else list(sequences)
    unknown = sorted(set(sequences) - set(names))
    if unknown:
        raise ValueError(f'{root}: gloss folders {unknown[:5]} are not in '
                         'the class list')
    annotations, split = [], {}
    for gloss, seqs in sequences.items():
        held_out = _test_count(len(seqs), test_fraction)
        for index, seq_dir in enumerate(seqs):
            keypoint, score = read_mp_sequence(seq_dir, img_shape)
            frame_dir = f'{gloss}/{seq_dir.name}'
            annotations.append(
                dict(
                    frame_dir=frame_dir,
                    label=names.index(gloss),
                    gloss=gloss,
                    total_frames=len(keypoint),
                    img_shape=tuple(img_shape),
                    original_shape=tuple(img_shape),
                    keypoint=keypoint[None],
                    keypoint_score=score[None]))
            name = 'all' if test_fraction <= 0 else (
                'test' if index >= len(seqs) - held_out else 'train')
            split.setdefault(name, []).append(frame_dir)
    return BuildResult(annotations, split, [], [])
