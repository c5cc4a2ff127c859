"""Per-video pose files -> MMAction2 PoseDataset annotation pickles.

Input: one pose file per video, named ``<video_id>.json`` or
``<video_id>.pkl`` anywhere below a directory.

* ``.json``: the predictions ``MMPoseInferencer(pose2d='wholebody')``
  writes per video with ``pred_out_dir``: a list of frames
  ``[{"frame_id": i, "instances": [{"keypoints": [[x, y]] * 133,
  "keypoint_scores": [s] * 133, "bbox": [[x1, y1, x2, y2]],
  "bbox_score": s}, ...]}, ...]`` (``bbox`` may be flat or missing).
  One person per frame is kept, see :func:`select_signer`.
* ``.pose``: a ``pose-format`` file with MediaPipe Holistic components,
  read as MASA's 49 joints (see :mod:`.pose_format_files`).
* ``.pkl``: a dict with ``keypoint`` ``(T, V, 2)`` or ``(M, T, V, 2)``,
  ``keypoint_score`` ``(T, V)`` or ``(M, T, V)`` and optionally
  ``img_shape``; person 0 is kept.

Output: ``dict(split={name: [frame_dir, ...]}, annotations=[...])`` with one
person per clip (``M = 1``), V = 133 or, with ``joints=49``, MASA's sign
joints ``keypoint[..., COCO_WHOLEBODY_INDICES, :]``.
"""
import csv
import io
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import mmengine
import numpy as np

from ...safe_loading import restricted_loads
from ...sign_layout import (COCO_WHOLEBODY_INDICES, NUM_JOINTS,
                            NUM_WHOLEBODY_JOINTS)
from .pose_format_files import read_pose_format
from .records import BuildResult, PoseTrack, VideoEntry

__all__ = [
    'SIGNER_STRATEGIES', 'POSE_SUFFIXES', 'load_mmpose_predictions',
    'select_signer', 'read_pose_file', 'to_sign_joints', 'index_pose_files',
    'read_label_csv', 'build_annotations', 'write_annotation_file'
]

#: How :func:`select_signer` picks the signer among a frame's persons.
SIGNER_STRATEGIES = ('largest', 'track')
#: Pose-file suffixes :func:`index_pose_files` looks for.
POSE_SUFFIXES = ('.json', '.pkl', '.pose')


def load_mmpose_predictions(path: Union[str, Path]) -> List[dict]:
    """Read and check an MMPoseInferencer video prediction file.

    Args:
        path (str | Path): The ``.json`` file.

    Returns:
        list[dict]: The frames, each with ``frame_id`` and ``instances``.

    Raises:
        ValueError: the file is not JSON or not a list of frames.
    """
    try:
        frames = mmengine.load(str(path), file_format='json')
    except ValueError as exc:
        raise ValueError(f'{path}: not a JSON file ({exc})') from exc
    if not isinstance(frames, list) or not all(
            isinstance(f, dict) and 'instances' in f
            and isinstance(f.get('frame_id'), int) for f in frames):
        raise ValueError(
            f'{path}: expected MMPoseInferencer video predictions, a list '
            'of {"frame_id": int, "instances": [...]} (one per frame)')
    return frames


def select_signer(frames: Sequence[dict],
                  strategy: str = 'largest',
                  source: str = '') -> PoseTrack:
    """Keep one person (the signer) per frame of MMPose predictions.

    ``'largest'`` takes, in every frame, the person with the largest
    ``bbox area x mean keypoint score`` (bbox from ``bbox`` or, when absent,
    the extent of the keypoints): sign videos frame the signer large and
    sharp. ``'track'`` takes that person in the first frame with anyone and
    then, in each frame, the person whose bbox centre is nearest to the last
    chosen one (robust when a larger person walks through).

    Args:
        frames (Sequence[dict]): Frames as :func:`load_mmpose_predictions`
            returns them; ``frame_id`` gives the frame's index.
        strategy (str): ``'largest'`` or ``'track'``. Defaults to
            ``'largest'``.
        source (str): File name for error messages. Defaults to ''.

    Returns:
        PoseTrack: ``(T, 133, 2)`` / ``(T, 133)`` float32 arrays with
        ``T = max(frame_id) + 1``; frames with no person are zero.

    Raises:
        ValueError: unknown strategy, repeated ``frame_id`` or an instance
            without 133 keypoints and scores.
    """
    if strategy not in SIGNER_STRATEGIES:
        raise ValueError(f'strategy must be one of {SIGNER_STRATEGIES}, '
                         f'got {strategy!r}')
    frame_ids = np.array([f['frame_id'] for f in frames], np.int64)
    if np.unique(frame_ids).size != frame_ids.size or (frame_ids < 0).any():
        raise ValueError(f'{source}: frame_id values must be unique and >= 0')
    num_frames = int(frame_ids.max(initial=-1)) + 1
    keypoint = np.zeros((num_frames, NUM_WHOLEBODY_JOINTS, 2), np.float32)
    score = np.zeros((num_frames, NUM_WHOLEBODY_JOINTS), np.float32)
    owner = np.array(
        [fid for f, fid in zip(frames, frame_ids) for _ in f['instances']],
        np.int64)
    if owner.size == 0:
        return PoseTrack(keypoint, score)
    persons = [inst for f in frames for inst in f['instances']]
    kpts, scores, boxes = _instance_arrays(persons, owner, source)
    if strategy == 'largest':
        chosen = _largest(kpts, scores, boxes, owner)
    else:
        chosen = _track(boxes, _priority(scores, boxes), owner)
    keypoint[owner[chosen]] = kpts[chosen]
    score[owner[chosen]] = scores[chosen]
    return PoseTrack(keypoint, score)


def _instance_arrays(persons: List[dict], owner: np.ndarray,
                     source: str) -> Tuple[np.ndarray, ...]:
    """Stack instances: keypoints (N,133,2), scores (N,133), boxes (N,4)."""
    try:
        kpts = np.array([p['keypoints'] for p in persons], np.float32)
        scores = np.array([p['keypoint_scores'] for p in persons], np.float32)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f'{source}: every instance needs "keypoints" [[x, y]] * 133 and '
            f'"keypoint_scores" [s] * 133 ({type(exc).__name__}: {exc})'
        ) from exc
    if kpts.shape[1:] != (NUM_WHOLEBODY_JOINTS,
                          2) or scores.shape[1:] != (NUM_WHOLEBODY_JOINTS, ):
        raise ValueError(
            f'{source}: instances have "keypoints" of shape '
            f'{kpts.shape[1:]} and "keypoint_scores" of {scores.shape[1:]}; '
            f'expected ({NUM_WHOLEBODY_JOINTS}, 2) and '
            f'({NUM_WHOLEBODY_JOINTS},) (COCO-WholeBody)')
    extent = np.concatenate([kpts.min(1), kpts.max(1)], axis=1)
    boxes = np.array([
        np.ravel(p['bbox'])[:4] if 'bbox' in p else extent[i]
        for i, p in enumerate(persons)
    ], np.float32)
    return kpts, scores, boxes


def _priority(scores: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """bbox area x mean keypoint score of each instance."""
    area = np.prod(np.clip(boxes[:, 2:] - boxes[:, :2], 0, None), axis=1)
    return area * scores.mean(1)


def _largest(kpts: np.ndarray, scores: np.ndarray, boxes: np.ndarray,
             owner: np.ndarray) -> np.ndarray:
    """Index of the highest-priority instance of every frame."""
    order = np.lexsort((-_priority(scores, boxes), owner))
    _, first = np.unique(owner[order], return_index=True)
    return order[first]


def _track(boxes: np.ndarray, priority: np.ndarray,
           owner: np.ndarray) -> np.ndarray:
    """Per frame, the instance nearest the last chosen signer."""
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    chosen, last = [], None
    for frame in np.unique(owner):
        cand = np.flatnonzero(owner == frame)
        if last is None:
            pick = cand[np.argmax(priority[cand])]
        else:
            pick = cand[np.argmin(
                np.linalg.norm(centres[cand] - last, axis=1))]
        chosen.append(pick)
        last = centres[pick]
    return np.array(chosen, np.int64)


def read_pose_file(path: Union[str, Path],
                   strategy: str = 'largest') -> PoseTrack:
    """One video's signer poses from an MMPose ``.json``, a ``.pkl`` or a
    pose-format ``.pose`` file.

    Args:
        path (str | Path): The pose file (see the module docstring).
        strategy (str): Signer selection for ``.json``, see
            :func:`select_signer`. Defaults to ``'largest'``.

    Returns:
        PoseTrack: float32 ``(T, V, 2)`` / ``(T, V)`` arrays of one person.

    Raises:
        ValueError: unknown suffix or malformed content.
    """
    path = Path(path)
    if path.suffix == '.json':
        return select_signer(
            load_mmpose_predictions(path), strategy, source=str(path))
    if path.suffix == '.pose':
        return read_pose_format(path)
    if path.suffix != '.pkl':
        raise ValueError(f'{path}: pose files must end in {POSE_SUFFIXES}')
    content = restricted_loads(path.read_bytes(), str(path))
    if not isinstance(content, dict) or not {'keypoint', 'keypoint_score'
                                             } <= set(content):
        raise ValueError(f'{path}: expected a dict with "keypoint" and '
                         '"keypoint_score"')
    keypoint = np.asarray(content['keypoint'], np.float32)
    score = np.asarray(content['keypoint_score'], np.float32)
    if keypoint.ndim == 4:
        keypoint, score = keypoint[0], score[0]
    if keypoint.ndim != 3 or keypoint.shape[-1] != 2 or (
            score.shape != keypoint.shape[:2]):
        raise ValueError(
            f'{path}: field "keypoint" {keypoint.shape} / "keypoint_score" '
            f'{score.shape}; expected (T, V, 2) / (T, V) or with a leading '
            'person axis')
    img_shape = content.get('img_shape')
    return PoseTrack(keypoint, score,
                     None if img_shape is None else tuple(img_shape))


def to_sign_joints(keypoint: np.ndarray, score: np.ndarray,
                   joints: int) -> Tuple[np.ndarray, np.ndarray]:
    """Keep all 133 COCO-WholeBody joints or MASA's 49 sign joints.

    Args:
        keypoint (np.ndarray): ``(..., V, 2)`` coordinates.
        score (np.ndarray): ``(..., V)`` scores.
        joints (int): 133 or 49. 49 selects ``COCO_WHOLEBODY_INDICES`` from
            133-joint input; input that already has ``joints`` joints is
            returned unchanged.

    Returns:
        tuple[np.ndarray, np.ndarray]: The selected coordinates and scores.

    Raises:
        ValueError: ``joints`` is not 49 / 133, or the input cannot give it.
    """
    if joints not in (NUM_JOINTS, NUM_WHOLEBODY_JOINTS):
        raise ValueError(f'joints must be {NUM_JOINTS} or '
                         f'{NUM_WHOLEBODY_JOINTS}, got {joints}')
    num_in = keypoint.shape[-2]
    if num_in == joints:
        return keypoint, score
    if num_in == NUM_WHOLEBODY_JOINTS and joints == NUM_JOINTS:
        index = np.array(COCO_WHOLEBODY_INDICES)
        return keypoint[..., index, :], score[..., index]
    raise ValueError(f'cannot make {joints} joints from {num_in} (poses with '
                     f'{NUM_JOINTS} joints, e.g. MediaPipe or .pose files, '
                     f'need --joints {NUM_JOINTS})')


def index_pose_files(pose_dir: Union[str, Path]) -> Dict[str, Path]:
    """Map video id (file stem) -> pose file, searching ``pose_dir``.

    Args:
        pose_dir (str | Path): Directory searched recursively for
            :data:`POSE_SUFFIXES` files.

    Returns:
        dict[str, Path]: Video id -> pose file.

    Raises:
        FileNotFoundError: ``pose_dir`` is not a directory.
        ValueError: two pose files share a video id.
    """
    pose_dir = Path(pose_dir)
    if not pose_dir.is_dir():
        raise FileNotFoundError(f'pose directory not found: {pose_dir}')
    index: Dict[str, Path] = {}
    for path in sorted(pose_dir.rglob('*')):
        if path.suffix not in POSE_SUFFIXES or not path.is_file():
            continue
        if path.stem in index:
            raise ValueError(f'two pose files for video {path.stem!r}: '
                             f'{index[path.stem]} and {path}')
        index[path.stem] = path
    return index


def read_label_csv(path: Union[str, Path]) -> List[VideoEntry]:
    """Clips of a label CSV with header ``video,label[,split][,gloss]``.

    ``video`` is the pose file's stem, ``label`` an int class index,
    ``split`` the split name (``'all'`` when the column is absent).

    Args:
        path (str | Path): The CSV file (UTF-8).

    Returns:
        list[VideoEntry]: The clips, in file order.

    Raises:
        ValueError: missing columns, a non-integer label or a repeated
            video.
    """
    rows = list(csv.DictReader(io.StringIO(mmengine.get_text(str(path)))))
    if not rows or not {'video', 'label'} <= set(rows[0]):
        raise ValueError(f'{path}: expected a CSV header with the columns '
                         'video,label[,split][,gloss] and at least one row')
    entries, seen = [], set()
    for line, row in enumerate(rows, 2):
        if not row['label'].strip().lstrip('-').isdigit():
            raise ValueError(f'{path}: line {line}: label {row["label"]!r} '
                             'is not an integer')
        if row['video'] in seen:
            raise ValueError(f'{path}: line {line}: video {row["video"]!r} '
                             'is listed twice')
        seen.add(row['video'])
        entries.append(
            VideoEntry(
                row['video'],
                int(row['label']),
                row.get('split') or 'all',
                gloss=row.get('gloss') or None))
    return entries


def build_annotations(
        entries: Sequence[VideoEntry],
        pose_files: Dict[str, Path],
        joints: int = NUM_WHOLEBODY_JOINTS,
        strategy: str = 'largest',
        trim: bool = False,
        img_shapes: Optional[Dict[str, Tuple[int,
                                             int]]] = None) -> BuildResult:
    """Annotations of the clips that have a pose file.

    Args:
        entries (Sequence[VideoEntry]): The clips (split files or a label
            CSV).
        pose_files (dict[str, Path]): Video id -> pose file
            (:func:`index_pose_files`).
        joints (int): 133 or 49 joints in the output. Defaults to 133.
        strategy (str): Signer selection, see :func:`select_signer`.
            Defaults to ``'largest'``.
        trim (bool): Cut each clip to its entry's frame range (for pose
            files of whole, untrimmed videos). Defaults to False.
        img_shapes (dict[str, tuple], optional): Video id -> ``(h, w)``
            stored as ``img_shape`` (pose files rarely know it). Defaults
            to None.

    Returns:
        BuildResult: Annotations and split dict (in entry order) plus the
        ids skipped for lacking a pose file or any frame.
    """
    annotations, missing, empty = [], [], []
    split: Dict[str, List[str]] = {}
    for entry in entries:
        if entry.video_id not in pose_files:
            missing.append(entry.video_id)
            continue
        track = read_pose_file(pose_files[entry.video_id], strategy)
        keypoint, score = to_sign_joints(track.keypoint, track.keypoint_score,
                                         joints)
        if trim:
            frames = slice(entry.frame_start, entry.frame_end)
            keypoint, score = keypoint[frames], score[frames]
        if len(keypoint) == 0:
            empty.append(entry.video_id)
            continue
        ann = dict(
            frame_dir=entry.video_id,
            label=entry.label,
            total_frames=len(keypoint),
            keypoint=np.ascontiguousarray(keypoint[None], np.float32),
            keypoint_score=np.ascontiguousarray(score[None], np.float32))
        img_shape = (img_shapes or {}).get(entry.video_id, track.img_shape)
        if img_shape is not None:
            ann['img_shape'] = ann['original_shape'] = tuple(img_shape)
        if entry.gloss is not None:
            ann['gloss'] = entry.gloss
        annotations.append(ann)
        split.setdefault(entry.split, []).append(entry.video_id)
    return BuildResult(annotations, split, missing, empty)


def write_annotation_file(result: BuildResult, out_file: Union[str,
                                                               Path]) -> str:
    """Dump ``dict(split=..., annotations=...)`` and summarise the build.

    Args:
        result (BuildResult): From :func:`build_annotations`.
        out_file (str | Path): The ``.pkl`` to write (parents created).

    Returns:
        str: A one-paragraph report: clips written per split and the
        skipped videos (counts and first ids).
    """
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    mmengine.dump(
        dict(split=result.split, annotations=result.annotations),
        str(out_file),
        file_format='pkl')
    sizes = ', '.join(f'{name} {len(ids)}'
                      for name, ids in result.split.items())
    lines = [f'wrote {len(result.annotations)} clips ({sizes}) to {out_file}']
    for ids, why in ((result.missing, 'no pose file'),
                     (result.empty, 'no pose frame in their range')):
        if ids:
            lines.append(f'skipped {len(ids)} videos with {why}, e.g. '
                         f'{ids[:5]}')
    return '\n'.join(lines)
