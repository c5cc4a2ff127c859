"""mmaction_masa.visualization.pose_renderer: skeletons, mask, frames,
files."""
import cv2
import numpy as np
import pytest
from PIL import Image

from mmaction_masa.apis.inference import load_pose_clip
from mmaction_masa.sign_layout import SIGN_BONES
from mmaction_masa.visualization import (PoseRenderer, apply_motion_mask,
                                         frame_grid, skeleton_links,
                                         strip_indices, write_animation)


@pytest.fixture
def football(shared_data):
    return load_pose_clip(
        shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl',
        frame_dir='FOOTBALL')


def test_skeleton_links():
    pairs, colours = skeleton_links(49)
    assert pairs.shape == (len(SIGN_BONES), 2) == (48, 2)
    pairs, colours = skeleton_links(133)
    assert pairs.shape == (65, 2) and len(colours) == 65
    assert pairs.min() >= 0 and pairs.max() < 133
    assert np.all((np.array(colours) >= 0) & (np.array(colours) <= 1))
    with pytest.raises(ValueError, match='cannot draw 17 joints'):
        skeleton_links(17)


def test_load_pose_clip_selection(shared_data):
    pkl = shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl'
    assert load_pose_clip(pkl, index=1)['frame_dir'] == 'SOUP'
    with pytest.raises(IndexError, match='index 2 is out of range for 2'):
        load_pose_clip(pkl, index=2)


def test_apply_motion_mask(football):
    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    masked = apply_motion_mask(football, seed=0)
    assert np.array_equal(np.random.get_state()[1], state)  # RNG restored
    assert masked.keypoint.shape == masked.residual.shape == (62, 49, 2)
    assert masked.mask.shape == (62, ) and masked.mask.dtype == bool
    assert 1 <= masked.mask.sum() < 62
    assert np.abs(masked.keypoint).max() <= 128
    again = apply_motion_mask(football, seed=0)
    assert np.array_equal(masked.mask, again.mask)


def test_strip_indices_show_masked_frames():
    mask = np.zeros(62, bool)
    mask[[37, 40]] = True
    picks = strip_indices(62, 6, mask)
    assert {37, 40} <= set(picks.tolist()) and len(picks) == 6
    assert strip_indices(62, 4).tolist() == [0, 20, 41, 61]
    assert strip_indices(3, 8).tolist() == [0, 1, 2]


def test_frame_grid():
    frames = [np.full((2, 3, 3), i, np.uint8) for i in range(3)]
    grid = frame_grid(frames, 2)
    assert grid.shape == (4, 6, 3)
    assert grid[0, 0, 0] == 0 and grid[0, 3, 0] == 1 and grid[2, 0, 0] == 2
    assert (grid[2:, 3:] == 255).all()


def test_renderer_and_animation(football, tmp_path):
    renderer = PoseRenderer(football, apply_motion_mask(football), dpi=30)
    frames = [renderer.draw(t) for t in range(3)]
    # 2.8 in of panel and titles + one legend row (0.32 in) at 30 dpi
    assert frames[0].shape == (93, 300, 3) and frames[0].dtype == np.uint8
    assert not np.array_equal(frames[0], frames[2])
    gif = write_animation(frames, tmp_path / 'a.gif', fps=5)
    with Image.open(gif) as image:
        assert image.n_frames == 3
    mp4 = write_animation(frames, tmp_path / 'a.mp4', fps=5)
    capture = cv2.VideoCapture(str(mp4))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 3
    capture.release()
    with pytest.raises(ValueError, match='format must be one of'):
        write_animation(frames, tmp_path / 'a.avi')
