"""Draw sign pose sequences: animations and frame strips.

A clip is drawn in image coordinates with the skeleton of its layout
(COCO-WholeBody links and colours from mmpose's metainfo for 133 joints,
:data:`~mmaction_masa.sign_layout.SIGN_BONES` for 49). With ``mask=True``
the real transforms run on the clip (``SelectSignJoints`` ->
``PartNormalize`` -> ``MotionAwareMask``) and three more panels show what
the model sees: body, left hand (mirrored) and right hand in the
[-128, 128] box, the frames the motion-aware mask hides on a red
background and the motion residuals ``m_i`` (joints with weight > 0) as
arrows.

Rendering uses matplotlib's Agg canvas (no GUI backend is touched); GIFs
are written with Pillow, MP4 files with OpenCV.
"""
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ..datasets.transforms import (MotionAwareMask, PartNormalize,
                                   SelectSignJoints)
from ..datasets.transforms.part_normalize import HALF_BOX
from ..sign_layout import (BODY_BONES, HAND_BONES, NUM_JOINTS,
                           NUM_WHOLEBODY_JOINTS, PART_SLICES, SIGN_BONES,
                           load_wholebody_metainfo)
from .inference import load_annotation_clips, load_mmpose_clip

__all__ = [
    'VIDEO_FORMATS', 'MaskedClip', 'select_clip', 'load_pose_clip',
    'skeleton_links', 'apply_motion_mask', 'PoseRenderer', 'write_animation',
    'render_clip', 'strip_indices', 'frame_grid'
]

#: Animation formats :func:`write_animation` writes.
VIDEO_FORMATS = ('gif', 'mp4')
#: Background of a masked frame's panels.
MASKED_COLOUR = '#ffd6d6'
#: Colour of 49-joint bones and of the normalised parts.
BONE_COLOUR = '#1f5fa8'
#: Colour of the motion residual arrows.
ARROW_COLOUR = '#d62728'


class MaskedClip(NamedTuple):
    """A clip after PartNormalize and MotionAwareMask (person 0)."""

    keypoint: np.ndarray  #: (T, 49, 2) in [-128, 128]
    score: np.ndarray  #: (T, 49)
    mask: np.ndarray  #: (T,) bool, True = masked
    residual: np.ndarray  #: (T, 49, 2) motion target m
    weight: np.ndarray  #: (T, 49) motion weight w


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


def skeleton_links(num_joints: int) -> Tuple[np.ndarray, List]:
    """Bones and their colours for a 49- or 133-joint layout.

    Args:
        num_joints (int): 49 or 133.

    Returns:
        tuple: ``(B, 2)`` int joint pairs and B matplotlib colours (RGB in
        [0, 1] from mmpose's metainfo for 133 joints).

    Raises:
        ValueError: unsupported joint count.
    """
    if num_joints == NUM_JOINTS:
        return np.array(SIGN_BONES), [BONE_COLOUR] * len(SIGN_BONES)
    if num_joints != NUM_WHOLEBODY_JOINTS:
        raise ValueError(f'cannot draw {num_joints} joints; expected '
                         f'{NUM_JOINTS} or {NUM_WHOLEBODY_JOINTS}')
    info = load_wholebody_metainfo()
    index = {kp['name']: i for i, kp in info['keypoint_info'].items()}
    links = list(info['skeleton_info'].values())
    pairs = np.array([[index[a], index[b]]
                      for a, b in (link['link'] for link in links)])
    colours = [np.array(link['color']) / 255 for link in links]
    return pairs, colours


def apply_motion_mask(clip: Dict,
                      mask_cfg: Optional[Dict] = None,
                      seed: int = 0) -> MaskedClip:
    """Run SelectSignJoints, PartNormalize and MotionAwareMask on a clip.

    Args:
        clip (dict): A clip (``keypoint`` (M, T, V, 2), ``keypoint_score``,
            ``img_shape``).
        mask_cfg (dict, optional): Arguments of :class:`MotionAwareMask`.
            Defaults to None (its defaults).
        seed (int): Seed of the numpy RNG that draws the masked frames.
            Defaults to 0.

    Returns:
        MaskedClip: Normalised poses, mask and motion targets of person 0.
    """
    results = dict(clip)
    for transform in (SelectSignJoints(), PartNormalize()):
        results = transform(results)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        results = MotionAwareMask(**(mask_cfg or {}))(results)
    finally:
        np.random.set_state(state)
    return MaskedClip(results['keypoint'][0], results['keypoint_score'][0],
                      results['motion_mask'], results['motion_target'],
                      results['motion_weight'])


def _segments(xy: np.ndarray, score: np.ndarray,
              pairs: np.ndarray) -> np.ndarray:
    """``(B, 2, 2)`` bone segments; NaN where a joint has score 0."""
    points = np.where((score > 0)[:, None], xy, np.nan)
    return points[pairs]


def _image_limits(keypoint: np.ndarray,
                  score: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Square view (low, high) around every scored joint of the clip."""
    seen = keypoint[score > 0]
    if seen.size == 0:
        return np.zeros(2), np.ones(2)
    low, high = seen.min(0), seen.max(0)
    centre, half = (low + high) / 2, (high - low).max() * 0.55 + 1e-6
    return centre - half, centre + half


class _Panel:
    """Artists of one axes: bones, joints and (optionally) arrows."""

    def __init__(self, ax: Axes, pairs: np.ndarray, colours: List,
                 arrows: bool) -> None:
        self.ax = ax
        self.pairs = pairs
        self.bones = LineCollection([], colors=colours, linewidths=1.5)
        ax.add_collection(self.bones)
        self.joints = ax.scatter([], [], s=4, c='k', zorder=3)
        zeros = np.zeros(NUM_JOINTS)
        self.arrows = ax.quiver(zeros,
                                zeros,
                                zeros,
                                zeros,
                                color=ARROW_COLOUR,
                                angles='xy',
                                scale_units='xy',
                                scale=1,
                                width=0.012,
                                zorder=4) if arrows else None
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect('equal')

    def update(self,
               xy: np.ndarray,
               score: np.ndarray,
               motion: Optional[np.ndarray] = None,
               highlight: bool = False) -> None:
        """Draw one frame: ``xy`` (V, 2), ``score`` (V,), arrows (V, 2)
        (49 joints when the panel has arrows; zero arrows are hidden)."""
        self.bones.set_segments(_segments(xy, score, self.pairs))
        self.joints.set_offsets(xy[score > 0].reshape(-1, 2))
        self.ax.set_facecolor(MASKED_COLOUR if highlight else 'white')
        if self.arrows is not None:
            delta = np.where((np.abs(motion).sum(-1) > 0)[:, None], motion,
                             np.nan)  # NaN arrows are not drawn
            self.arrows.set_offsets(xy)
            self.arrows.set_UVC(delta[:, 0], delta[:, 1])


def _part_pairs(part: str) -> np.ndarray:
    """Bones of one normalised panel, as indices into the 49 joints."""
    if part == 'body':
        return np.array(BODY_BONES)
    return np.array(HAND_BONES) + PART_SLICES[part].start


class PoseRenderer:
    """Draw the frames of one clip onto a fixed matplotlib figure.

    Args:
        clip (dict): The clip; person 0 is drawn.
        masked (MaskedClip, optional): Adds the body / left hand / right
            hand panels of :func:`apply_motion_mask`. Defaults to None.
        score_thr (float): Joints with a score below this are not drawn in
            the image view (MMPose scores out-of-frame joints low).
            Defaults to 0.3.
        panel_size (float): Inches per panel. Defaults to 2.5.
        dpi (int): Pixels per inch. Defaults to 80.
    """

    PARTS = ('body', 'left_hand', 'right_hand')

    def __init__(self,
                 clip: Dict,
                 masked: Optional[MaskedClip] = None,
                 score_thr: float = 0.3,
                 panel_size: float = 2.5,
                 dpi: int = 80) -> None:
        self.keypoint = clip['keypoint'][0]
        score = clip['keypoint_score'][0]
        self.score = np.where(score >= score_thr, score, 0)
        self.masked = masked
        self.name = clip['frame_dir']
        num_panels = 1 + (len(self.PARTS) if masked is not None else 0)
        self.figure = Figure(figsize=(panel_size * num_panels,
                                      panel_size + 0.3),
                             dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        axes = np.atleast_1d(self.figure.subplots(1, num_panels))
        pairs, colours = skeleton_links(self.keypoint.shape[1])
        self.image_panel = _Panel(axes[0], pairs, colours, arrows=False)
        low, high = _image_limits(self.keypoint, self.score)
        axes[0].set_xlim(low[0], high[0])
        axes[0].set_ylim(high[1], low[1])  # image y points down
        self.part_panels = [
            _Panel(ax, _part_pairs(part), [BONE_COLOUR], arrows=True)
            for ax, part in zip(axes[1:], self.PARTS)
        ]
        for ax, part in zip(axes[1:], self.PARTS):
            ax.set_xlim(-HALF_BOX, HALF_BOX)
            ax.set_ylim(HALF_BOX, -HALF_BOX)
            ax.set_title(part.replace('_', ' ') +
                         (' (mirrored)' if part == 'left_hand' else ''),
                         fontsize=8)
        self.figure.subplots_adjust(left=0.02,
                                    right=0.98,
                                    bottom=0.02,
                                    top=0.88,
                                    wspace=0.05)

    @property
    def num_frames(self) -> int:
        """Frames of the clip."""
        return len(self.keypoint)

    def draw(self, frame: int) -> np.ndarray:
        """Render one frame.

        Args:
            frame (int): Frame index.

        Returns:
            np.ndarray: ``(H, W, 3)`` uint8 RGB image.
        """
        masked = self.masked is not None and bool(self.masked.mask[frame])
        self.image_panel.update(self.keypoint[frame],
                                self.score[frame],
                                highlight=masked)
        if self.masked is not None:
            xy, score = self.masked.keypoint[frame], self.masked.score[frame]
            motion = self.masked.residual[frame] * (self.masked.weight[frame]
                                                    > 0)[:, None]
            for panel, part in zip(self.part_panels, self.PARTS):
                part_slice = PART_SLICES[part]
                panel.update(_only(xy, part_slice),
                             _only(score, part_slice),
                             _only(motion, part_slice),
                             highlight=masked)
        title = f'{self.name}  frame {frame + 1}/{self.num_frames}'
        self.figure.suptitle(title + ('  MASKED' if masked else ''),
                             fontsize=9,
                             color=ARROW_COLOUR if masked else 'black')
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()


def _only(values: np.ndarray, part: slice) -> np.ndarray:
    """``values`` (49, ...) with everything outside ``part`` zeroed."""
    out = np.zeros_like(values)
    out[part] = values[part]
    return out


def write_animation(frames: Sequence[np.ndarray],
                    path: Union[str, Path],
                    fps: float = 10.0) -> Path:
    """Write RGB frames as an animated GIF (Pillow) or MP4 (OpenCV).

    Args:
        frames (Sequence[np.ndarray]): ``(H, W, 3)`` uint8 images.
        path (str | Path): Output file; its suffix picks the format.
        fps (float): Frames per second. Defaults to 10.

    Returns:
        Path: ``path``.

    Raises:
        ValueError: unsupported suffix.
        RuntimeError: OpenCV cannot open an MP4 writer.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip('.')
    if fmt == 'gif':
        from PIL import Image
        images = [Image.fromarray(f) for f in frames]
        images[0].save(path,
                       save_all=True,
                       append_images=images[1:],
                       duration=round(1000 / fps),
                       loop=0)
    elif fmt == 'mp4':
        import cv2
        height, width = frames[0].shape[:2]
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'),
                                 fps, (width, height))
        if not writer.isOpened():
            raise RuntimeError(f'OpenCV cannot write {path}')
        for frame in frames:
            writer.write(np.ascontiguousarray(frame[..., ::-1]))
        writer.release()
    else:
        raise ValueError(f'{path}: format must be one of {VIDEO_FORMATS}')
    return path


def render_clip(clip: Dict,
                out_dir: Union[str, Path],
                mask: bool = False,
                fmt: str = 'gif',
                fps: float = 10.0,
                strip_frames: int = 8,
                seed: int = 0,
                dpi: int = 80) -> Tuple[Path, Path]:
    """Write a clip's animation and a PNG strip of evenly spaced frames.

    Args:
        clip (dict): The clip (see :func:`load_pose_clip`).
        out_dir (str | Path): Output directory (created).
        mask (bool): Add the normalised panels with MotionAwareMask's masked
            frames and motion arrows. Defaults to False.
        fmt (str): ``'gif'`` or ``'mp4'``. Defaults to ``'gif'``.
        fps (float): Animation frame rate. Defaults to 10.
        strip_frames (int): Frames in the strip (at most T). Defaults to 8.
        seed (int): Seed of the mask draw. Defaults to 0.
        dpi (int): Pixels per inch of the 2.5-inch panels. Defaults to 80.

    Returns:
        tuple[Path, Path]: ``<out_dir>/<frame_dir>.<fmt>`` and
        ``<out_dir>/<frame_dir>_strip.png`` (a grid about four panels
        wide: one frame a row with ``mask``, four frames a row without).
    """
    from PIL import Image
    if fmt not in VIDEO_FORMATS:
        raise ValueError(f'fmt must be one of {VIDEO_FORMATS}, got {fmt!r}')
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    masked = apply_motion_mask(clip, seed=seed) if mask else None
    renderer = PoseRenderer(clip, masked, dpi=dpi)
    frames = [renderer.draw(t) for t in range(renderer.num_frames)]
    stem = str(clip['frame_dir']).replace('/', '_')
    video = write_animation(frames, out_dir / f'{stem}.{fmt}', fps)
    picks = strip_indices(renderer.num_frames, strip_frames,
                          None if masked is None else masked.mask)
    strip = out_dir / f'{stem}_strip.png'
    columns = max(1, 4 // len(renderer.figure.axes))
    Image.fromarray(frame_grid([frames[t] for t in picks],
                               columns)).save(strip)
    return video, strip


def strip_indices(num_frames: int,
                  count: int,
                  mask: Optional[np.ndarray] = None) -> np.ndarray:
    """Frames of a strip: evenly spaced, masked frames shown.

    Up to ``count // 2`` masked frames (evenly chosen among them) each
    replace the nearest evenly spaced frame not replaced yet.

    Args:
        num_frames (int): Frames of the clip.
        count (int): Frames wanted (at most ``num_frames`` are returned).
        mask (np.ndarray, optional): ``(T,)`` bool, True = masked.

    Returns:
        np.ndarray: Sorted unique frame indices.
    """
    picks = np.linspace(0, num_frames - 1, min(count,
                                               num_frames)).round().astype(int)
    hidden = np.flatnonzero(mask) if mask is not None else np.zeros(0, int)
    keep = min(len(hidden), max(count // 2, 1))
    if keep:
        hidden = hidden[np.linspace(0,
                                    len(hidden) - 1, keep).round().astype(int)]
        free = np.ones(len(picks), bool)
        for frame in hidden:  # at most count // 2 frames
            slot = np.argmin(np.where(free, np.abs(picks - frame), np.inf))
            picks[slot], free[slot] = frame, False
    return np.unique(picks)


def frame_grid(frames: Sequence[np.ndarray], columns: int) -> np.ndarray:
    """Tile equal-sized images row by row; the last row is padded white.

    Args:
        frames (Sequence[np.ndarray]): ``(H, W, 3)`` uint8 images.
        columns (int): Images per row.

    Returns:
        np.ndarray: ``(rows * H, columns * W, 3)`` uint8.
    """
    rows = -(-len(frames) // columns)
    height, width = frames[0].shape[:2]
    grid = np.full((rows, columns, height, width, 3), 255, np.uint8)
    grid.reshape(rows * columns, height, width, 3)[:len(frames)] = frames
    return grid.transpose(0, 2, 1, 3, 4).reshape(rows * height,
                                                 columns * width, 3)
