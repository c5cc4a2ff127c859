"""Readable pose pictures: finger colours, legends, aspect."""
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from mmaction_masa.apis.inference import load_pose_clip
from mmaction_masa.datasets.converters.synthetic import hand_skeleton
from mmaction_masa.sign_layout import (LEFT_HAND_SLICE, NUM_JOINTS,
                                       RIGHT_HAND_SLICE)
from mmaction_masa.visualization import (COMMON_ASPECTS, FINGER_COLOURS,
                                         FINGER_NAMES, PoseRenderer,
                                         apply_motion_mask, bone_parts,
                                         bone_widths, display_scale,
                                         estimate_aspect, skeleton_links)


@pytest.fixture
def wlasl_clip(shared_data):
    return load_pose_clip(shared_data / 'real' / 'wlasl50_dev.pkl', index=0)


@pytest.mark.parametrize('num_joints', [49, 133])
def test_each_finger_has_its_own_colour(num_joints):
    pairs, colours = skeleton_links(num_joints)
    parts = bone_parts(pairs, num_joints)
    for finger in FINGER_NAMES:  # 4 bones per finger and hand
        assert parts.count(finger) == 8
    by_part = {p: tuple(c) for p, c in zip(parts, colours)}
    finger_colours = [by_part[f] for f in FINGER_NAMES]
    assert len(set(finger_colours)) == 5
    assert by_part['thumb'] == to_rgb(FINGER_COLOURS['thumb'])
    assert by_part['body'] not in finger_colours
    widths = bone_widths(pairs, num_joints)
    thumb = {w for w, p in zip(widths, parts) if p == 'thumb'}
    others = {w for w, p in zip(widths, parts) if p != 'thumb'}
    assert min(thumb) > max(others)  # the thumb is also drawn thicker


def test_legend_and_arrows_only_on_masked_frames(wlasl_clip):
    masked = apply_motion_mask(wlasl_clip, seed=0)
    renderer = PoseRenderer(wlasl_clip, masked, dpi=30)
    labels = [t.get_text() for t in renderer.legend.get_texts()]
    assert labels == list(FINGER_NAMES) + [
        'body', 'motion residual (masked frames)'
    ]
    hidden, shown = np.flatnonzero(masked.mask), np.flatnonzero(~masked.mask)
    assert len(hidden) and len(shown)

    def arrows(frame):
        renderer.draw(frame)
        # quiver masks the NaN arrows (Umask): they are not drawn
        return sum(
            int((~np.broadcast_to(p.arrows.Umask, p.arrows.U.shape)).sum())
            for p in renderer.part_panels)

    assert arrows(hidden[0]) > 0
    assert all(arrows(t) == 0 for t in shown[:5])


def test_true_aspect_ratio(wlasl_clip):
    # pixel coordinates are drawn as they are
    pixels = dict(wlasl_clip, keypoint=wlasl_clip['keypoint'] * 300)
    assert display_scale(pixels)[1] == 'pixels'
    # normalised coordinates with an image size: scaled by (w, h)
    sized = dict(wlasl_clip, img_shape=(480, 640))
    scale, source = display_scale(sized)
    assert scale.tolist() == [640, 480] and source == 'img_shape 640x480'
    scale, source = display_scale(wlasl_clip, aspect=16 / 9)
    assert scale[0] == pytest.approx(16 / 9) and 'given' in source
    with pytest.raises(ValueError, match='aspect must be > 0'):
        display_scale(wlasl_clip, aspect=0)
    # the image view's axes keep that aspect
    renderer = PoseRenderer(sized, dpi=30)
    ax = renderer.image_panel.ax
    assert ax.get_aspect() == 1.0  # equal units after the (w, h) scaling
    assert 'img_shape 640x480' in ax.get_title()


def _turning_hands(num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """``(T, 49, 2)`` pixels of a 512 x 512 frame: two rigid flat hands
    (``hand_skeleton``, 60 px long) at fixed wrists, each turning in the
    image plane by its own random walk of angles, with 1 px jitter."""
    flat = hand_skeleton(np.zeros((1, 5)), np.zeros(1), np.zeros(1))[0] * 60
    keypoint = np.full((num_frames, NUM_JOINTS, 2), 256.0)
    for part, wrist in ((LEFT_HAND_SLICE, (320, 300)), (RIGHT_HAND_SLICE,
                                                        (190, 300))):
        turn = rng.normal(0, 0.25, num_frames).cumsum()
        cos, sin = np.cos(turn)[:, None], np.sin(turn)[:, None]
        keypoint[:, part] = np.stack([
            cos * flat[:, 0] - sin * flat[:, 1],
            sin * flat[:, 0] + cos * flat[:, 1]
        ], -1) + wrist
    return keypoint + rng.normal(0, 1.0, keypoint.shape)


@pytest.mark.parametrize('aspect', ['4:3', '16:9', '3:4'])
def test_estimate_aspect_of_turning_hands(aspect):
    """Hands turning in the image plane, normalised by a w x h frame."""
    keypoint = _turning_hands(60, np.random.default_rng(1))
    ratio = COMMON_ASPECTS[aspect]
    width, height = 512 * ratio, 512.0
    normalised = keypoint / np.array([width, height])
    assert estimate_aspect(normalised, np.ones(keypoint.shape[:2])) == \
        pytest.approx(ratio)
