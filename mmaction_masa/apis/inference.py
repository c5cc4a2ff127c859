"""Recognise signs with a trained recognizer: load inputs, run, rank.

Inputs are pose clips from an annotation pickle (MMAction2 PoseDataset
format, V = 49 or 133), an MMPose whole-body prediction JSON
(``MMPoseInferencer`` per-video output) or a video (poses extracted first
with MediaPipe Holistic, the default, which runs offline on a CPU, or with
MMPose, which needs full mmcv, mmdet and mmpose's model weights).
Every clip goes through the config's test pipeline
(``test_dataloader.dataset.pipeline``) and the recognizer's ``test_step``.

:func:`iter_clips`, :func:`iter_predictions` and :class:`PredictionWriter`
stream: annotation pickles are read one clip at a time
(:class:`~mmaction_masa.datasets.annotation_stream.AnnotationStream`),
clips are scored batch by batch and each result is written as soon as it
is known, so memory does not grow with the number of clips.
:func:`load_pose_clip` reads one clip of a file for the pose pictures of
:mod:`mmaction_masa.visualization`.
"""
import copy
import itertools
import json
import tempfile
from pathlib import Path
from typing import (Callable, Dict, Iterable, Iterator, List, Optional,
                    Sequence, Tuple, Union)

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)

from mmaction.registry import MODELS, TRANSFORMS
from ..datasets.annotation_stream import AnnotationStream
from ..datasets.converters import (build_pose_inferencer, extract_poses,
                                   extract_video_mediapipe,
                                   load_mmpose_predictions, read_pose_file,
                                   select_signer, video_shape)
from ..datasets.converters.extraction import VIDEO_SUFFIXES
from ..datasets.converters.mediapipe_poses import video_fps
from ..datasets.validation import (UNLABELLED, load_annotation_file,
                                   read_class_list, sanitize_annotation)
from .checkpoint_fit import check_checkpoint_fits

__all__ = [
    'ANNOTATION_SUFFIXES', 'POSE_BACKENDS', 'load_recognizer',
    'with_mirror_views', 'build_test_pipeline', 'load_annotation_clips',
    'load_mmpose_clip', 'load_pose_format_clip', 'select_clip',
    'load_pose_clip', 'load_video_clips', 'load_clips',
    'iter_annotation_clips', 'iter_clips', 'collect_glosses', 'iter_batches',
    'pipeline_input', 'predict_scores', 'model_num_classes',
    'iter_predictions', 'PredictionWriter', 'topk_predictions',
    'resolve_class_names'
]

#: Suffixes read as annotation pickles.
ANNOTATION_SUFFIXES = ('.pkl', '.pickle')
#: Pose estimators for video inputs (the first is the default).
POSE_BACKENDS = ('mediapipe', 'mmpose')


def load_recognizer(config: Union[str, Path, Config],
                    checkpoint: Optional[Union[str, Path]] = None,
                    device: str = 'cpu') -> Tuple[nn.Module, Config, Dict]:
    """Build a recognizer from its config and load a checkpoint.

    Unlike ``mmaction.apis.init_recognizer`` (which returns the model only,
    and works with this plugin's configs too), it also returns the config
    and the checkpoint's ``meta``, and refuses a checkpoint that does not
    fit the model; hence its own name.

    Args:
        config (str | Path | Config): The MMAction2 config (file or object).
        checkpoint (str | Path, optional): Weights to load; None keeps the
            initial weights. Defaults to None.
        device (str): Device of the model, e.g. ``'cpu'`` or ``'cuda:0'``.
            Defaults to ``'cpu'``.

    Returns:
        tuple: The model in eval mode, the config and the checkpoint's
        ``meta`` dict (empty without a checkpoint or meta).

    Raises:
        CheckpointMismatchError: the checkpoint's weights do not fit the
            model (missing, unexpected or differently shaped keys).
    """
    cfg = config if isinstance(config, Config) else Config.fromfile(
        str(config))
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    meta: Dict = {}
    if checkpoint is not None:
        loaded = _load_checkpoint(str(checkpoint), map_location='cpu')
        check_checkpoint_fits(model, loaded, str(checkpoint))
        _load_checkpoint_to_model(model, loaded, strict=True)
        meta = loaded.get('meta', {}) if isinstance(loaded, dict) else {}
    model.cfg = cfg
    return model.to(device).eval(), cfg, meta


def with_mirror_views(steps: List[Dict]) -> List[Dict]:
    """A test pipeline with mirror test-time augmentation.

    :class:`~mmaction_masa.datasets.transforms.MirrorTestViews` is put
    right after ``SignSampleFrames`` (with ``left_hand_mirrored`` as the
    pipeline's ``PartNormalize``), so the recognizer averages the clip and
    its left/right mirror: a mirrored (selfie) recording or a left-handed
    signer scores as the unmirrored one.

    Args:
        steps (list[dict]): The test pipeline's transform configs.

    Returns:
        list[dict]: A new list (the input is not changed).

    Raises:
        ValueError: the pipeline has no ``SignSampleFrames``.
    """
    steps = copy.deepcopy(list(steps))
    types = [step.get('type') for step in steps]
    if 'MirrorTestViews' in types:
        return steps
    if 'SignSampleFrames' not in types:
        raise ValueError('mirror test-time augmentation needs a test '
                         'pipeline with SignSampleFrames; the config has '
                         f'{types}')
    mirrored = next((step.get('mirror_left_hand', True)
                     for step in steps if step.get('type') == 'PartNormalize'),
                    True)
    steps.insert(
        types.index('SignSampleFrames') + 1,
        dict(type='MirrorTestViews', left_hand_mirrored=mirrored))
    return steps


def build_test_pipeline(cfg: Config, mirror_tta: bool = False) -> Compose:
    """The config's ``test_dataloader.dataset.pipeline`` as a callable.

    Args:
        cfg (Config): The recognizer config.
        mirror_tta (bool): Add mirror test-time augmentation
            (:func:`with_mirror_views`). Defaults to False.

    Raises:
        KeyError: the config has no test pipeline.
        ValueError: ``mirror_tta`` and no ``SignSampleFrames`` step.
    """
    try:
        steps = cfg.test_dataloader.dataset.pipeline
    except AttributeError as exc:
        raise KeyError(
            'the config has no test_dataloader.dataset.pipeline') from exc
    if mirror_tta:
        steps = with_mirror_views(steps)
    return Compose([TRANSFORMS.build(step) for step in steps])


def _clip(frame_dir: str,
          keypoint: np.ndarray,
          score: np.ndarray,
          img_shape: Tuple[int, int],
          label: int = UNLABELLED,
          source: str = '') -> Dict:
    """One clip as the dataset would hand it to the pipeline."""
    return dict(
        frame_dir=frame_dir,
        keypoint=keypoint,
        keypoint_score=score,
        total_frames=keypoint.shape[1],
        img_shape=tuple(img_shape),
        label=label,
        modality='Pose',
        start_index=0,
        source=source)


def load_annotation_clips(path: Union[str, Path],
                          split: Optional[str] = None) -> List[Dict]:
    """The clips of an annotation pickle, validated.

    Args:
        path (str | Path): A PoseDataset pickle (V = 49 or 133).
        split (str, optional): Keep the clips of this entry of the file's
            ``split`` dict; None keeps every clip. Defaults to None.

    Returns:
        list[dict]: Clips with ``frame_dir``, ``keypoint``,
        ``keypoint_score``, ``img_shape``, ``label`` (-1 if unknown) and
        ``gloss`` when the annotation has one.

    Raises:
        KeyError: the file has no split ``split``.
    """
    annotations, splits = load_annotation_file(str(path))
    if split is not None and split not in (splits or {}):
        raise KeyError(f'{path}: no split {split!r}; available: '
                       f'{sorted(splits or {})}')
    members = None if split is None else set(splits[split])
    return [
        _annotation_clip(raw, path, index)
        for index, raw in enumerate(annotations)
        if members is None or raw.get('frame_dir') in members
    ]


def _annotation_clip(raw: Dict, path: Union[str, Path], index: int) -> Dict:
    """One validated clip of an annotation file."""
    ann = sanitize_annotation(raw, str(path), index, allow_unlabelled=True)
    keypoint = ann['keypoint']
    shape = ann.get('img_shape') or _extent_shape(keypoint,
                                                  ann['keypoint_score'])
    clip = _clip(ann['frame_dir'], keypoint, ann['keypoint_score'], shape,
                 ann['label'], str(path))
    if 'gloss' in ann:
        clip['gloss'] = ann['gloss']
    return clip


def iter_annotation_clips(path: Union[str, Path]) -> Iterator[Dict]:
    """The clips of an annotation pickle, read and validated one by one.

    Memory stays bounded whatever the number of clips (see
    :class:`~mmaction_masa.datasets.annotation_stream.AnnotationStream`).

    Args:
        path (str | Path): A PoseDataset pickle (V = 49 or 133).

    Yields:
        dict: Clips as :func:`load_annotation_clips` returns them.

    Raises:
        FileNotFoundError: the file does not exist.
        AnnotationError: the file or a clip is invalid.
    """
    for index, raw in enumerate(AnnotationStream(str(path))):
        yield _annotation_clip(raw, path, index)


def _extent_shape(keypoint: np.ndarray, score: np.ndarray) -> Tuple[int, int]:
    """``(h, w)`` covering every scored joint (when no image size is
    known; only PartNormalize's no-body fallback box uses it)."""
    seen = keypoint[score > 0]
    if seen.size == 0:
        return 1, 1
    width, height = np.ceil(seen.max(0)).astype(int)
    return max(int(height), 1), max(int(width), 1)


def load_mmpose_clip(path: Union[str, Path],
                     img_shape: Optional[Tuple[int, int]] = None,
                     strategy: str = 'largest') -> Dict:
    """One clip from an ``MMPoseInferencer`` whole-body prediction JSON.

    Args:
        path (str | Path): The ``.json`` file (one video).
        img_shape (tuple[int, int], optional): ``(h, w)`` of the video;
            None uses the extent of the keypoints. Defaults to None.
        strategy (str): Signer selection, see
            :func:`~mmaction_masa.datasets.converters.select_signer`.
            Defaults to ``'largest'``.

    Returns:
        dict: The clip (133 joints, one person, label -1).

    Raises:
        ValueError: the file holds no frame with a person.
    """
    track = select_signer(
        load_mmpose_predictions(path), strategy, source=str(path))
    if not track.keypoint_score.any():
        raise ValueError(f'{path}: no person detected in any frame')
    keypoint, score = track.keypoint[None], track.keypoint_score[None]
    shape = img_shape or _extent_shape(keypoint, score)
    return _clip(Path(path).stem, keypoint, score, shape, source=str(path))


def load_pose_format_clip(path: Union[str, Path]) -> Dict:
    """One clip from a pose-format ``.pose`` file (49 joints, label -1).

    Raises:
        ValueError: the file is malformed or has no scored joint.
    """
    track = read_pose_file(path)
    if not track.keypoint_score.any():
        raise ValueError(f'{path}: no joint found in any frame')
    return _clip(
        Path(path).stem,
        track.keypoint[None],
        track.keypoint_score[None],
        track.img_shape,
        source=str(path))


def select_clip(clips: Sequence[Dict],
                index: Optional[int] = None,
                frame_dir: Optional[str] = None,
                source: str = '') -> Dict:
    """Pick one clip by position or by ``frame_dir`` (default: the first).

    Raises:
        IndexError: ``index`` is out of range.
        KeyError: no clip has ``frame_dir``.
    """
    if frame_dir is not None:
        for clip in clips:
            if clip['frame_dir'] == frame_dir:
                return clip
        names = [c['frame_dir'] for c in clips[:5]]
        raise KeyError(f'{source}: no clip with frame_dir {frame_dir!r} '
                       f'(the file has {len(clips)} clips, e.g. {names})')
    index = 0 if index is None else index
    if not -len(clips) <= index < len(clips):
        raise IndexError(f'{source}: index {index} is out of range for '
                         f'{len(clips)} clips')
    return clips[index]


def load_pose_clip(path: Union[str, Path],
                   index: Optional[int] = None,
                   frame_dir: Optional[str] = None) -> Dict:
    """One clip of an annotation pickle or an MMPose prediction JSON.

    Args:
        path (str | Path): ``.pkl`` / ``.pickle`` or ``.json`` file.
        index (int, optional): Position of the clip in a pickle.
        frame_dir (str, optional): ``frame_dir`` of the clip in a pickle.

    Returns:
        dict: The clip (see :func:`load_annotation_clips`).

    Raises:
        ValueError: unknown suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == '.json':
        clips = [load_mmpose_clip(path)]
    elif suffix in ('.pkl', '.pickle'):
        clips = load_annotation_clips(path)
    else:
        raise ValueError(f'{path}: expected an annotation .pkl or an MMPose '
                         '.json pose file')
    return select_clip(clips, index, frame_dir, str(path))


def load_video_clips(videos: Sequence[Union[str, Path]],
                     device: Optional[str] = None,
                     work_dir: Optional[Union[str, Path]] = None,
                     backend: str = POSE_BACKENDS[0]) -> List[Dict]:
    """Extract the signer's poses from videos and load them as clips.

    Args:
        videos (Sequence[str | Path]): Video files.
        device (str, optional): Device of the MMPose model. Defaults to None.
        work_dir (str | Path, optional): Where MMPose's prediction JSON files
            go; None uses a temporary directory. Defaults to None.
        backend (str): ``'mediapipe'`` (Holistic, 49 joints, offline on a
            CPU) or ``'mmpose'`` (whole-body, 133 joints). Defaults to
            ``'mediapipe'``.

    Returns:
        list[dict]: One clip per video (``frame_dir`` = the file stem,
        ``fps`` = the container's frame rate, None if it states none).

    Raises:
        ValueError: unknown backend, or a video cannot be read.
        ImportError: the backend's packages are missing (the message says
            how to install them).
    """
    if backend not in POSE_BACKENDS:
        raise ValueError(f'pose backend must be one of {POSE_BACKENDS}, '
                         f'got {backend!r}')
    if backend == 'mediapipe':
        return [_mediapipe_clip(video) for video in videos]
    inferencer = build_pose_inferencer(device=device)
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(work_dir or tmp)
        outputs = extract_poses(videos, out_dir, inferencer=inferencer)
        return [
            dict(
                load_mmpose_clip(outputs[Path(video).stem],
                                 video_shape(video)),
                fps=video_fps(video)) for video in videos
        ]


def _mediapipe_clip(video: Union[str, Path]) -> Dict:
    """One video's clip from MediaPipe Holistic (49 joints, label -1)."""
    track = extract_video_mediapipe(video)
    clip = _clip(
        Path(video).stem,
        track.keypoint[None],
        track.keypoint_score[None],
        track.img_shape,
        source=str(video))
    clip['fps'] = video_fps(video)
    return clip


def _check_inputs(inputs: Sequence[Union[str, Path]]) -> List[Path]:
    """The inputs as paths, each an existing file of a known type.

    Raises:
        FileNotFoundError: an input does not exist.
        ValueError: an input has an unknown suffix.
    """
    paths = []
    for path in map(Path, inputs):
        if not path.is_file():
            raise FileNotFoundError(f'input not found: {path}')
        suffix = path.suffix.lower()
        if suffix not in ANNOTATION_SUFFIXES + (
                '.json', '.pose') + tuple(VIDEO_SUFFIXES):
            raise ValueError(
                f'{path}: unknown input type; expected an annotation pickle '
                f'{ANNOTATION_SUFFIXES}, an MMPose .json, a pose-format '
                f'.pose or a video {VIDEO_SUFFIXES}')
        paths.append(path)
    return paths


def iter_clips(inputs: Sequence[Union[str, Path]],
               device: Optional[str] = None,
               pose_backend: str = POSE_BACKENDS[0]) -> Iterator[Dict]:
    """The clips of :func:`load_clips`, in the same order, one at a time.

    Every input is checked before the first clip is read; annotation
    pickles are streamed (:func:`iter_annotation_clips`), videos are
    extracted after the other inputs, as in :func:`load_clips`.

    Args:
        inputs (Sequence[str | Path]): Files; the suffix picks the reader.
        device (str, optional): Device of the MMPose model (videos only).
            Defaults to None.
        pose_backend (str): Pose estimator of the videos, see
            :func:`load_video_clips`. Defaults to ``'mediapipe'``.

    Returns:
        Iterator[dict]: The clips.

    Raises:
        FileNotFoundError: an input does not exist.
        ValueError: an input has an unknown suffix, or an unknown
            ``pose_backend``.
    """
    paths = _check_inputs(inputs)
    if pose_backend not in POSE_BACKENDS:
        raise ValueError(f'pose backend must be one of {POSE_BACKENDS}, '
                         f'got {pose_backend!r}')
    return _iter_checked_clips(paths, device, pose_backend)


def _iter_checked_clips(paths: Sequence[Path], device: Optional[str],
                        pose_backend: str) -> Iterator[Dict]:
    """The clips of already checked inputs (see :func:`iter_clips`)."""
    videos = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in ANNOTATION_SUFFIXES:
            yield from iter_annotation_clips(path)
        elif suffix == '.json':
            yield load_mmpose_clip(path)
        elif suffix == '.pose':
            yield load_pose_format_clip(path)
        else:
            videos.append(path)
    if videos:
        yield from load_video_clips(videos, device, backend=pose_backend)


def collect_glosses(inputs: Sequence[Union[str, Path]]) -> Dict[int, str]:
    """``label -> gloss`` of the labelled clips of the annotation pickles
    among ``inputs`` (one streamed pass; memory bounded by the number of
    classes).

    Args:
        inputs (Sequence[str | Path]): Input files (others are skipped).

    Returns:
        dict: The first gloss seen for each label.
    """
    glosses: Dict[int, str] = {}
    for path in map(Path, inputs):
        if path.suffix.lower() not in ANNOTATION_SUFFIXES:
            continue
        for raw in AnnotationStream(str(path)):
            label, gloss = raw.get('label'), raw.get('gloss')
            if isinstance(label, (int, np.integer)) and label >= 0 and \
                    gloss is not None:
                glosses.setdefault(int(label), str(gloss))
    return glosses


def load_clips(inputs: Sequence[Union[str, Path]],
               device: Optional[str] = None,
               pose_backend: str = POSE_BACKENDS[0]) -> List[Dict]:
    """Clips of annotation pickles, MMPose JSON files and videos.

    Args:
        inputs (Sequence[str | Path]): Files; the suffix picks the reader.
        device (str, optional): Device of the MMPose model (videos only).
            Defaults to None.
        pose_backend (str): Pose estimator of the videos, see
            :func:`load_video_clips`. Defaults to ``'mediapipe'``.

    Returns:
        list[dict]: All clips, in input order.

    Raises:
        FileNotFoundError: an input does not exist.
        ValueError: an input has an unknown suffix.
    """
    clips, videos = [], []
    for path in _check_inputs(inputs):
        suffix = path.suffix.lower()
        if suffix in ANNOTATION_SUFFIXES:
            clips.extend(load_annotation_clips(path))
        elif suffix == '.json':
            clips.append(load_mmpose_clip(path))
        elif suffix == '.pose':
            clips.append(load_pose_format_clip(path))
        else:
            videos.append(path)
    if videos:
        clips.extend(load_video_clips(videos, device, backend=pose_backend))
    return clips


def iter_batches(items: Iterable, size: int) -> Iterator[Sequence]:
    """Consecutive runs of at most ``size`` items (slices of a sequence,
    lists of any other iterable, which is consumed lazily).

    Raises:
        ValueError: ``size`` < 1.
    """
    if size < 1:
        raise ValueError(f'batch size must be >= 1, got {size}')
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield items[start:start + size]
        return
    iterator = iter(items)
    while True:
        batch = list(itertools.islice(iterator, size))
        if not batch:
            return
        yield batch


def pipeline_input(clip: Dict) -> Dict:
    """A copy of the clip for the pipeline, without an unknown label."""
    results = dict(clip)
    if results['label'] < 0:
        del results['label']
    return results


def predict_scores(model: nn.Module,
                   pipeline: Compose,
                   clips: Sequence[Dict],
                   batch_size: int = 16,
                   progress=None) -> np.ndarray:
    """Class scores of every clip (the recognizer's ``pred_score``).

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): The test pipeline.
        clips (Sequence[dict]): Clips from :func:`load_clips`.
        batch_size (int): Clips per forward pass. Defaults to 16.
        progress (optional): An object with ``update(num_tasks)`` (e.g.
            ``mmengine.utils.ProgressBar``), advanced once per clip.
            Defaults to None.

    Returns:
        np.ndarray: ``(len(clips), num_classes)`` float32 scores.
    """
    scores = []
    for batch in iter_batches(clips, batch_size):
        scores.extend(_batch_scores(model, pipeline, batch))
        if progress is not None:
            for _ in batch:
                progress.update()
    return np.stack(scores).astype(np.float32)


def _batch_scores(model: nn.Module, pipeline: Compose,
                  batch: Sequence[Dict]) -> np.ndarray:
    """``(len(batch), C)`` float32 scores of one batch of clips."""
    samples = pseudo_collate([pipeline(pipeline_input(c)) for c in batch])
    with torch.no_grad():
        outputs = model.test_step(samples)
    return np.stack([out.pred_score.float().cpu().numpy()
                     for out in outputs]).astype(np.float32)


def model_num_classes(model: nn.Module) -> int:
    """Number of classes a recognizer predicts (its ``cls_head``'s).

    Raises:
        ValueError: the model has no ``cls_head.num_classes``.
    """
    num_classes = getattr(
        getattr(model, 'cls_head', None), 'num_classes', None)
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError('the model has no cls_head with num_classes; is it '
                         'a recognizer?')
    return num_classes


def iter_predictions(model: nn.Module,
                     pipeline: Compose,
                     clips: Iterable[Dict],
                     class_names: Sequence[str],
                     batch_size: int = 16,
                     k: int = 5) -> Iterator[Dict]:
    """Top-k results of clips, scored batch by batch as they arrive.

    Nothing is kept once a batch's results are yielded: with a lazy
    ``clips`` (:func:`iter_clips`) memory is independent of their number.

    Args:
        model (nn.Module): A recognizer in eval mode.
        pipeline (Compose): The test pipeline.
        clips (Iterable[dict]): Clips, e.g. from :func:`iter_clips`.
        class_names (Sequence[str]): The C class names.
        batch_size (int): Clips per forward pass. Defaults to 16.
        k (int): Classes kept per clip. Defaults to 5.

    Yields:
        dict: One result per clip, as in :func:`topk_predictions`.

    Raises:
        ValueError: ``batch_size`` or ``k`` < 1, or the model's scores are
            not ``len(class_names)`` wide.
    """
    if k < 1:
        raise ValueError(f'k must be >= 1, got {k}')
    for batch in iter_batches(clips, batch_size):
        scores = _batch_scores(model, pipeline, batch)
        if scores.shape[1] != len(class_names):
            raise ValueError(f'the model predicts {scores.shape[1]} classes '
                             f'but {len(class_names)} class names are given')
        yield from topk_predictions(scores, batch, class_names, k)


class PredictionWriter:
    """Write results one at a time: a JSON list (``.json``, the format of
    ``json.dump(results)``) or JSON lines (``.jsonl``, one result a line).

    Use as a context manager; the file is valid once it is closed.

    Args:
        path (str | Path): Output file; its folder is created.

    Raises:
        ValueError: the suffix is neither ``.json`` nor ``.jsonl``.
    """

    SUFFIXES = ('.json', '.jsonl')

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = Path(path)
        if self.path.suffix.lower() not in self.SUFFIXES:
            raise ValueError(f'{path}: the output must end with one of '
                             f'{self.SUFFIXES}')
        self.lines = self.path.suffix.lower() == '.jsonl'
        self.count = 0
        self._file = None

    def __enter__(self) -> 'PredictionWriter':
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open('w')
        if not self.lines:
            self._file.write('[')
        return self

    def write(self, result: Dict) -> None:
        """Append one result (flushed, so a partial run keeps its lines).

        Args:
            result (dict): A JSON-serialisable result.
        """
        text = json.dumps(result)
        if self.lines:
            self._file.write(text + '\n')
        else:
            self._file.write(('\n' if self.count == 0 else ',\n') + text)
        self._file.flush()
        self.count += 1

    def __exit__(self, *exc_info) -> None:
        if not self.lines:
            self._file.write('\n]\n')
        self._file.close()


def resolve_class_names(
        num_classes: int,
        class_list: Optional[Union[str, Path]] = None,
        meta: Optional[Dict] = None,
        clips: Iterable[Dict] = (),
        glosses: Optional[Callable[[], Dict[int, str]]] = None) -> List[str]:
    """Names of the classes, from the best source available.

    Order: the ``class_list`` file (one name a line), the checkpoint's
    ``meta['dataset_meta']['classes']`` (the training set's names), the
    ``gloss`` of labelled input clips, else the class index.

    Args:
        num_classes (int): Width of the score vectors.
        class_list (str | Path, optional): Class-name file. Defaults to
            None.
        meta (dict, optional): Checkpoint meta. Defaults to None.
        clips (Iterable[dict]): Input clips. Defaults to ().
        glosses (callable, optional): Returns ``label -> gloss`` (e.g.
            ``lambda: collect_glosses(inputs)``), called only when neither
            the class list nor the meta names the classes; used instead of
            ``clips``. Defaults to None.

    Returns:
        list[str]: ``num_classes`` names.

    Raises:
        ValueError: ``class_list`` does not have ``num_classes`` names.
    """
    if class_list is not None:
        names = read_class_list(str(class_list))
        if len(names) != num_classes:
            raise ValueError(f'{class_list}: {len(names)} class names, but '
                             f'the model predicts {num_classes} classes')
        return names
    known = ((meta or {}).get('dataset_meta') or {}).get('classes')
    if known is not None and len(known) == num_classes:
        return [str(name) for name in known]
    if glosses is not None:
        known_glosses = glosses()
    else:
        known_glosses = {
            clip['label']: clip['gloss']
            for clip in clips if 'gloss' in clip and clip['label'] >= 0
        }
    return [known_glosses.get(i, str(i)) for i in range(num_classes)]


def _label_name(clip: Dict, class_names: Sequence[str]) -> str:
    """A labelled clip's own gloss, else its class name, else the index."""
    if 'gloss' in clip:
        return clip['gloss']
    label = clip['label']
    return class_names[label] if label < len(class_names) else str(label)


def topk_predictions(scores: np.ndarray,
                     clips: Sequence[Dict],
                     class_names: Sequence[str],
                     k: int = 5) -> List[Dict]:
    """The ``k`` best classes of every clip, JSON-ready.

    Args:
        scores (np.ndarray): ``(N, C)`` scores from :func:`predict_scores`.
        clips (Sequence[dict]): The N clips.
        class_names (Sequence[str]): C names.
        k (int): Classes kept per clip (at most C). Defaults to 5.

    Returns:
        list[dict]: Per clip ``source``, ``frame_dir``, ``label`` and
        ``label_name`` (the clip's ``gloss``, else the class name; both
        None if unlabelled) and ``topk``: a list of
        ``dict(label, name, score)``, best first.
    """
    k = min(k, scores.shape[1])
    order = np.argsort(-scores, axis=1, kind='stable')[:, :k]
    results = []
    for clip, best, row in zip(clips, order, scores):
        label = clip['label'] if clip['label'] >= 0 else None
        results.append(
            dict(
                source=clip['source'],
                frame_dir=clip['frame_dir'],
                label=label,
                label_name=None if label is None else _label_name(
                    clip, class_names),
                topk=[
                    dict(
                        label=int(c), name=class_names[c], score=float(row[c]))
                    for c in best
                ]))
    return results
