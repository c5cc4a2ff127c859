"""Draw sign pose sequences: animations and frame strips.

A clip is drawn in image coordinates with the skeleton of its layout
(COCO-WholeBody links and colours from mmpose's metainfo for 133 joints,
:data:`~mmaction_masa.sign_layout.SIGN_BONES` for 49). With ``mask=True``
the real transforms run on the clip (``SelectSignJoints`` ->
``PartNormalize`` -> ``MotionAwareMask``) and three more panels show what
the model sees: body, left hand (mirrored) and right hand in the
[-128, 128] box, the frames the motion-aware mask hides on a red
background and, on those masked frames only (where the motion loss
applies), the motion residuals ``m_i`` (joints with weight > 0) as arrows.

Each finger has its own colour (:data:`FINGER_COLOURS`; the thumb also
drawn thicker), the body and face are grey, and a legend under the panels
names them. The image view keeps the true aspect ratio: pixel coordinates
are drawn as they are; coordinates normalised to [0, 1] are scaled by the
clip's ``img_shape`` or, when it is missing (``(1, 1)``), by the aspect
ratio :func:`estimate_aspect` finds from the hands' bone lengths.

Rendering uses matplotlib's Agg canvas (no GUI backend is touched); GIFs
are written with Pillow, MP4 files with OpenCV.

This module only draws clip dicts (read from a file by
:func:`~mmaction_masa.apis.inference.load_pose_clip`, or a dataset's
``get_data_info``), so both the tools and the test-time
:class:`~mmaction_masa.engine.hooks.PredictionPictureHook` use it.
"""
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..datasets.transforms import (MotionAwareMask, PartNormalize,
                                   SelectSignJoints)
from ..datasets.transforms.part_normalize import HALF_BOX
from ..sign_layout import (BODY_BONES, HAND_BONES, NUM_JOINTS,
                           NUM_WHOLEBODY_JOINTS, PART_SLICES, SIGN_BONES,
                           load_wholebody_metainfo)

__all__ = [
    'VIDEO_FORMATS', 'FINGER_NAMES', 'FINGER_COLOURS', 'PART_COLOURS',
    'COMMON_ASPECTS', 'MaskedClip', 'bone_parts', 'skeleton_links',
    'bone_widths', 'estimate_aspect', 'display_scale', 'apply_motion_mask',
    'PoseRenderer', 'write_animation', 'render_clip', 'strip_indices',
    'frame_grid', 'render_prediction'
]

#: Animation formats :func:`write_animation` writes.
VIDEO_FORMATS = ('gif', 'mp4')
#: Background of a masked frame's panels.
MASKED_COLOUR = '#ffd6d6'
#: Colour of 49-joint bones and of the normalised parts.
BONE_COLOUR = '#1f5fa8'
#: Colour of the motion residual arrows.
ARROW_COLOUR = '#d62728'
#: Fingers in the COCO-WholeBody hand order (4 joints each after the wrist).
FINGER_NAMES = ('thumb', 'index', 'middle', 'ring', 'little')
#: One colour per finger (none of them the arrows' red); the thumb is also
#: drawn :data:`THUMB_WIDTH` wide.
FINGER_COLOURS = dict(
    thumb='#ff7f0e',
    index='#2ca02c',
    middle='#1f77b4',
    ring='#9467bd',
    little='#e377c2')
#: Colours of every bone group (fingers, body, face and feet).
PART_COLOURS = dict(FINGER_COLOURS, body='#404040', face='#b0b0b0')
#: Line widths (points) of the thumb and of the other bones.
THUMB_WIDTH, BONE_WIDTH = 3.0, 1.5
#: Frame aspect ratios (w / h) an estimate snaps to when within 8 %.
COMMON_ASPECTS = {
    '16:9': 16 / 9,
    '4:3': 4 / 3,
    '1:1': 1.0,
    '3:4': 3 / 4,
    '9:16': 9 / 16
}
#: Bar colours of the true class and of the other classes (prediction
#: pictures).
TRUE_COLOUR, OTHER_COLOUR = '#2ca02c', '#9e9e9e'


class MaskedClip(NamedTuple):
    """A clip after PartNormalize and MotionAwareMask (person 0)."""

    keypoint: np.ndarray  #: (T, 49, 2) in [-128, 128]
    score: np.ndarray  #: (T, 49)
    mask: np.ndarray  #: (T,) bool, True = masked
    residual: np.ndarray  #: (T, 49, 2) motion target m
    weight: np.ndarray  #: (T, 49) motion weight w


def bone_parts(pairs: np.ndarray, num_joints: int) -> List[str]:
    """The group of every bone: a finger name, ``'body'`` or ``'face'``.

    Args:
        pairs (np.ndarray): ``(B, 2)`` joint pairs.
        num_joints (int): 49 or 133 (COCO-WholeBody: hands 91-132, face
            23-90, feet 17-22 drawn as body).

    Returns:
        list[str]: B keys of :data:`PART_COLOURS`.

    Raises:
        ValueError: unsupported joint count.
    """
    if num_joints == NUM_JOINTS:
        hand_starts = (PART_SLICES['left_hand'].start,
                       PART_SLICES['right_hand'].start)
        face = range(0)
    elif num_joints == NUM_WHOLEBODY_JOINTS:
        hand_starts, face = (91, 112), range(23, 91)
    else:
        raise ValueError(f'cannot draw {num_joints} joints; expected '
                         f'{NUM_JOINTS} or {NUM_WHOLEBODY_JOINTS}')
    parts = []
    for a, b in np.asarray(pairs).tolist():
        part = 'body'
        for start in hand_starts:
            local = max(a, b) - start
            if 0 < local < 21 and min(a, b) >= start:
                part = FINGER_NAMES[(local - 1) // 4]
        if a in face or b in face:
            part = 'face'
        parts.append(part)
    return parts


def skeleton_links(num_joints: int) -> Tuple[np.ndarray, List]:
    """Bones and their colours for a 49- or 133-joint layout.

    Args:
        num_joints (int): 49 or 133.

    Returns:
        tuple: ``(B, 2)`` int joint pairs (:data:`SIGN_BONES`, or the links
        of mmpose's COCO-WholeBody metainfo) and B RGB colours in [0, 1]
        (:data:`PART_COLOURS` of :func:`bone_parts`).

    Raises:
        ValueError: unsupported joint count.
    """
    if num_joints == NUM_JOINTS:
        pairs = np.array(SIGN_BONES)
    elif num_joints == NUM_WHOLEBODY_JOINTS:
        info = load_wholebody_metainfo()
        index = {kp['name']: i for i, kp in info['keypoint_info'].items()}
        links = list(info['skeleton_info'].values())
        pairs = np.array([[index[a], index[b]]
                          for a, b in (link['link'] for link in links)])
    else:
        raise ValueError(f'cannot draw {num_joints} joints; expected '
                         f'{NUM_JOINTS} or {NUM_WHOLEBODY_JOINTS}')
    colours = [
        to_rgb(PART_COLOURS[part]) for part in bone_parts(pairs, num_joints)
    ]
    return pairs, colours


def bone_widths(pairs: np.ndarray, num_joints: int) -> List[float]:
    """Line widths: :data:`THUMB_WIDTH` for thumb bones, else
    :data:`BONE_WIDTH`."""
    return [
        THUMB_WIDTH if part == 'thumb' else BONE_WIDTH
        for part in bone_parts(pairs, num_joints)
    ]


def estimate_aspect(keypoint: np.ndarray,
                    score: np.ndarray,
                    num_joints: Optional[int] = None) -> float:
    """Frame aspect ratio ``w / h`` of coordinates normalised per axis.

    A bone keeps its length while the hand turns in the image plane; with
    x and y normalised by different sizes its drawn length varies with
    its direction instead. The ratio that makes the hand bones' lengths
    steadiest over the clip (least variance of the log length) is taken,
    snapped to :data:`COMMON_ASPECTS` when within 8 %.

    Args:
        keypoint (np.ndarray): ``(T, V, 2)`` coordinates of one person.
        score (np.ndarray): ``(T, V)`` scores (0 = missing).
        num_joints (int, optional): Layout (49 or 133); default ``V``.

    Returns:
        float: The ratio; 1.0 when too few hand bones are seen.
    """
    num_joints = num_joints or keypoint.shape[1]
    pairs, _ = skeleton_links(num_joints)
    parts = bone_parts(pairs, num_joints)
    hand = pairs[[p in FINGER_NAMES for p in parts]]
    delta = keypoint[:, hand[:, 0]] - keypoint[:, hand[:, 1]]  # (T, B, 2)
    seen = (score[:, hand[:, 0]] > 0) & (score[:, hand[:, 1]] > 0)
    if seen.sum(0).max(initial=0) < 4:
        return 1.0
    ratios = np.exp(np.linspace(np.log(0.4), np.log(2.5), 181))
    costs = []
    for ratio in ratios:
        length = np.hypot(delta[..., 0] * ratio, delta[..., 1])
        log = np.log(np.where(seen, length, 1.0) + 1e-9)
        count = seen.sum(0)
        mean = np.where(seen, log, 0).sum(0) / np.maximum(count, 1)
        var = (np.where(seen, log - mean, 0)**2).sum(0)
        costs.append(var[count >= 4].sum())
    best = float(ratios[int(np.argmin(costs))])
    name = min(
        COMMON_ASPECTS, key=lambda k: abs(np.log(COMMON_ASPECTS[k] / best)))
    if abs(np.log(COMMON_ASPECTS[name] / best)) < np.log(1.08):
        return COMMON_ASPECTS[name]
    return best


def display_scale(clip: Dict,
                  score_thr: float = 0.0,
                  aspect: Optional[float] = None) -> Tuple[np.ndarray, str]:
    """Per-axis factors that give the image view its true aspect ratio.

    Args:
        clip (dict): The clip (``keypoint`` (M, T, V, 2),
            ``keypoint_score``, optional ``img_shape`` ``(h, w)``).
        score_thr (float): Joints scored at most this are ignored.
            Defaults to 0.
        aspect (float, optional): The frame's ``w / h`` when known (used
            for normalised coordinates instead of ``img_shape`` or the
            estimate). Defaults to None.

    Returns:
        tuple: ``(2,)`` factors for (x, y) and a label of where the aspect
        comes from (``'pixels'``, ``'img_shape 640x480'`` or
        ``'aspect 4:3 estimated'``).

    Raises:
        ValueError: ``aspect`` is not positive.
    """
    if aspect is not None and not aspect > 0:
        raise ValueError(f'aspect must be > 0, got {aspect}')
    keypoint, score = clip['keypoint'][0], clip['keypoint_score'][0]
    seen = keypoint[score > score_thr]
    normalised = seen.size > 0 and seen.min() > -1.0 and seen.max() < 2.0
    if not normalised:
        return np.ones(2), 'pixels'
    height, width = (tuple(clip.get('img_shape') or (1, 1)) + (1, 1))[:2]
    if aspect is not None:
        return np.array([aspect, 1.0]), f'aspect {aspect:.2f} given'
    if height > 2 and width > 2:
        return np.array([width, height], float), (f'img_shape {width}x'
                                                  f'{height}')
    ratio = estimate_aspect(keypoint, np.where(score > score_thr, score, 0))
    names = [k for k, v in COMMON_ASPECTS.items() if v == ratio]
    label = names[0] if names else f'{ratio:.2f}'
    return np.array([ratio, 1.0]), f'aspect {label} estimated'


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
                 widths: List[float], arrows: bool) -> None:
        self.ax = ax
        self.pairs = pairs
        self.bones = LineCollection([], colors=colours, linewidths=widths)
        ax.add_collection(self.bones)
        self.empty = ax.text(
            0.5,
            0.5,
            'not detected',
            transform=ax.transAxes,
            ha='center',
            va='center',
            fontsize=8,
            color='#808080',
            visible=False)
        self.joints = ax.scatter([], [], s=4, c='k', zorder=3)
        zeros = np.zeros(NUM_JOINTS)
        self.arrows = ax.quiver(
            zeros,
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
        (49 joints when the panel has arrows; zero or NaN arrows are
        hidden)."""
        self.bones.set_segments(_segments(xy, score, self.pairs))
        self.joints.set_offsets(xy[score > 0].reshape(-1, 2))
        self.empty.set_visible(not (score > 0).any())
        self.ax.set_facecolor(MASKED_COLOUR if highlight else 'white')
        if self.arrows is not None:
            if motion is None:
                motion = np.zeros_like(xy)
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

    The image view is drawn with the true aspect ratio
    (:func:`display_scale`, named in its title), bones coloured by finger
    (:data:`FINGER_COLOURS`, the thumb thicker) with a legend under the
    panels. With ``masked``, the motion residual arrows are drawn on the
    masked frames only (the frames whose motion the model predicts).

    Args:
        clip (dict): The clip; person 0 is drawn.
        masked (MaskedClip, optional): Adds the body / left hand / right
            hand panels of :func:`apply_motion_mask`. Defaults to None.
        score_thr (float): Joints with a score below this are not drawn in
            the image view (MMPose scores out-of-frame joints low).
            Defaults to 0.3.
        panel_size (float): Inches per panel. Defaults to 2.5.
        dpi (int): Pixels per inch. Defaults to 80.
        aspect (float, optional): Frame ``w / h`` of normalised
            coordinates, see :func:`display_scale`. Defaults to None.
    """

    PARTS = ('body', 'left_hand', 'right_hand')
    #: Inches under the panels per legend row.
    LEGEND_ROW = 0.22
    #: Legend entries per row of a one-panel figure (all in one row when
    #: there are more panels).
    NARROW_COLUMNS = 4

    def __init__(self,
                 clip: Dict,
                 masked: Optional[MaskedClip] = None,
                 score_thr: float = 0.3,
                 panel_size: float = 2.5,
                 dpi: int = 80,
                 aspect: Optional[float] = None) -> None:
        score = clip['keypoint_score'][0]
        self.score = np.where(score >= score_thr, score, 0)
        self.scale, self.aspect_source = display_scale(clip, score_thr, aspect)
        self.keypoint = clip['keypoint'][0] * self.scale
        self.masked = masked
        self.name = clip['frame_dir']
        num_joints = self.keypoint.shape[1]
        num_panels = 1 + (len(self.PARTS) if masked is not None else 0)
        entries = len(FINGER_NAMES) + 1 + (num_joints
                                           == NUM_WHOLEBODY_JOINTS) + (
                                               masked is not None)
        self.legend_columns = entries if num_panels > 1 else min(
            entries, self.NARROW_COLUMNS)
        legend_height = self.LEGEND_ROW * -(-entries //
                                            self.legend_columns) + 0.1
        height = panel_size + 0.3 + legend_height
        self.figure = Figure(
            figsize=(panel_size * num_panels, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        axes = np.atleast_1d(self.figure.subplots(1, num_panels))
        pairs, colours = skeleton_links(num_joints)
        self.image_panel = _Panel(
            axes[0],
            pairs,
            colours,
            bone_widths(pairs, num_joints),
            arrows=False)
        low, high = _image_limits(self.keypoint, self.score)
        axes[0].set_xlim(low[0], high[0])
        axes[0].set_ylim(high[1], low[1])  # image y points down
        axes[0].set_title(f'image ({self.aspect_source})', fontsize=8)
        self.part_panels = []
        for ax, part in zip(axes[1:], self.PARTS):
            part_pairs = _part_pairs(part)
            part_colours = [
                to_rgb(PART_COLOURS[p])
                for p in bone_parts(part_pairs, NUM_JOINTS)
            ]
            self.part_panels.append(
                _Panel(
                    ax,
                    part_pairs,
                    part_colours,
                    bone_widths(part_pairs, NUM_JOINTS),
                    arrows=True))
            ax.set_xlim(-HALF_BOX, HALF_BOX)
            ax.set_ylim(HALF_BOX, -HALF_BOX)
            ax.set_title(
                part.replace('_', ' ') +
                (' (mirrored)' if part == 'left_hand' else ''),
                fontsize=8)
        self.legend = self._legend(num_joints, masked is not None)
        self.figure.subplots_adjust(
            left=0.02,
            right=0.98,
            bottom=(legend_height + 0.05) / height,
            top=1 - 0.5 / height,
            wspace=0.05)

    def _legend(self, num_joints: int, arrows: bool):
        """The figure legend: fingers, body (and face), arrows."""
        names = list(FINGER_NAMES) + ['body'] + (
            ['face'] if num_joints == NUM_WHOLEBODY_JOINTS else [])
        handles = [
            Line2D([], [],
                   color=PART_COLOURS[name],
                   lw=THUMB_WIDTH if name == 'thumb' else BONE_WIDTH,
                   label=name) for name in names
        ]
        if arrows:
            handles.append(
                Line2D([], [],
                       color=ARROW_COLOUR,
                       lw=0,
                       marker=r'$\rightarrow$',
                       markersize=10,
                       label='motion residual (masked frames)'))
        return self.figure.legend(
            handles=handles,
            loc='lower center',
            ncol=self.legend_columns,
            fontsize=7,
            frameon=False,
            handlelength=1.5,
            columnspacing=1.0)

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
        self.image_panel.update(
            self.keypoint[frame], self.score[frame], highlight=masked)
        if self.masked is not None:
            xy, score = self.masked.keypoint[frame], self.masked.score[frame]
            # Residual arrows only where the motion loss applies.
            motion = self.masked.residual[frame] * (
                (self.masked.weight[frame] > 0) & masked)[:, None]
            for panel, part in zip(self.part_panels, self.PARTS):
                part_slice = PART_SLICES[part]
                panel.update(
                    _only(xy, part_slice),
                    _only(score, part_slice),
                    _only(motion, part_slice),
                    highlight=masked)
        title = f'{self.name}  frame {frame + 1}/{self.num_frames}'
        self.figure.suptitle(
            title + ('  MASKED' if masked else ''),
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
        images[0].save(
            path,
            save_all=True,
            append_images=images[1:],
            duration=round(1000 / fps),
            loop=0)
    elif fmt == 'mp4':
        import cv2
        height, width = frames[0].shape[:2]
        writer = cv2.VideoWriter(
            str(path), cv2.VideoWriter_fourcc(*'mp4v'), fps, (width, height))
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
                dpi: int = 80,
                aspect: Optional[float] = None) -> Tuple[Path, Path]:
    """Write a clip's animation and a PNG strip of evenly spaced frames.

    Args:
        clip (dict): The clip (see
            :func:`~mmaction_masa.apis.inference.load_pose_clip`).
        out_dir (str | Path): Output directory (created).
        mask (bool): Add the normalised panels with MotionAwareMask's masked
            frames and motion arrows. Defaults to False.
        fmt (str): ``'gif'`` or ``'mp4'``. Defaults to ``'gif'``.
        fps (float): Animation frame rate. Defaults to 10.
        strip_frames (int): Frames in the strip (at most T). Defaults to 8.
        seed (int): Seed of the mask draw. Defaults to 0.
        dpi (int): Pixels per inch of the 2.5-inch panels. Defaults to 80.
        aspect (float, optional): Frame ``w / h`` of normalised
            coordinates (see :func:`display_scale`). Defaults to None.

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
    renderer = PoseRenderer(clip, masked, dpi=dpi, aspect=aspect)
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


def render_prediction(clip: Dict,
                      scores: np.ndarray,
                      class_names: Sequence[str],
                      path: Union[str, Path],
                      label: Optional[int] = None,
                      frames: int = 4,
                      k: int = 5,
                      dpi: int = 80) -> Path:
    """One test clip's picture: pose frames, ground truth and top-k bars.

    The clip is drawn at ``frames`` evenly spaced frames (image view with
    the true aspect ratio and the finger colours of :class:`PoseRenderer`),
    beside a bar chart of the ``k`` best classes with their scores; the
    true class's bar is green and the title says the ground truth, the
    prediction and whether it is right.

    Args:
        clip (dict): The clip (``frame_dir``, ``keypoint`` (M, T, V, 2),
            ``keypoint_score``, optional ``img_shape``).
        scores (np.ndarray): ``(C,)`` class scores.
        class_names (Sequence[str]): C names.
        path (str | Path): The PNG to write (parents created).
        label (int, optional): The true class; None if unknown.
        frames (int): Pose frames drawn (at most T). Defaults to 4.
        k (int): Classes in the bar chart (at most C). Defaults to 5.
        dpi (int): Pixels per inch. Defaults to 80.

    Returns:
        Path: ``path``.

    Raises:
        ValueError: ``scores`` is not ``(C,)`` for the C names, ``label``
            is outside ``[0, C)``, or ``frames`` / ``k`` < 1.
    """
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(scores) != len(class_names):
        raise ValueError(f'{len(scores)} scores for {len(class_names)} '
                         'class names')
    if label is not None and not 0 <= label < len(scores):
        raise ValueError(f'label {label} is outside [0, {len(scores)})')
    if frames < 1 or k < 1:
        raise ValueError(f'frames and k must be >= 1, got {frames}, {k}')
    renderer = PoseRenderer(clip, dpi=dpi)
    picks = strip_indices(renderer.num_frames, frames)
    images = [renderer.draw(int(t)) for t in picks]
    pose = frame_grid(images, len(images))
    order = np.argsort(-scores, kind='stable')[:min(k, len(scores))]
    best = int(order[0])
    height = pose.shape[0] / dpi
    figure = Figure(figsize=(pose.shape[1] / dpi + 3.6, height + 0.5), dpi=dpi)
    FigureCanvasAgg(figure)
    width = figure.get_figwidth()
    image_ax = figure.add_axes(
        (0, 0, pose.shape[1] / dpi / width, height / (height + 0.5)))
    image_ax.imshow(pose)
    image_ax.axis('off')
    bar_ax = figure.add_axes(
        ((pose.shape[1] / dpi + 1.3) / width, 0.12, 2.1 / width, 0.6))
    rows = np.arange(len(order))[::-1]
    colours = [
        TRUE_COLOUR if label is not None and c == label else OTHER_COLOUR
        for c in order
    ]
    bar_ax.barh(rows, scores[order], color=colours)
    bar_ax.set_yticks(rows, [str(class_names[c]) for c in order], fontsize=8)
    bar_ax.set_xlim(0, max(1.35 * float(scores[order].max()), 1e-6))
    bar_ax.set_xlabel('score', fontsize=8)
    bar_ax.tick_params(axis='x', labelsize=7)
    for row, c in zip(rows, order):
        bar_ax.text(
            scores[c], row, f' {scores[c]:.2f}', va='center', fontsize=7)
    bar_ax.set_title(f'top-{len(order)}', fontsize=8)
    truth = 'unknown' if label is None else str(class_names[label])
    verdict = '' if label is None else (
        '  (right)' if best == label else '  (wrong)')
    colour = 'black' if label is None else (
        TRUE_COLOUR if best == label else ARROW_COLOUR)
    figure.suptitle(
        f'{clip["frame_dir"]}   true: {truth}   predicted: '
        f'{class_names[best]} {scores[best]:.2f}{verdict}',
        fontsize=10,
        color=colour,
        y=1 - 0.12 / (height + 0.5))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi)
    return path
