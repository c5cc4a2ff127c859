"""tools/visualize_pose.py on the real FOOTBALL sign."""
import numpy as np
from PIL import Image

from .conftest import call_script


def test_visualize_football_with_mask(repo_root, shared_data, tmp_path,
                                      capsys):
    status = call_script(
        repo_root, 'visualize_pose.py',
        shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl',
        '--frame-dir', 'FOOTBALL', '--out-dir', tmp_path, '--mask',
        '--strip-frames', 4, '--dpi', 40)
    assert status == 0
    gif, strip = tmp_path / 'FOOTBALL.gif', tmp_path / 'FOOTBALL_strip.png'
    assert f'wrote {gif} and {strip}' in capsys.readouterr().out
    with Image.open(gif) as animation:
        assert animation.n_frames == 62  # every frame of the sign
        width, height = animation.size
    with Image.open(strip) as image:
        pixels = np.asarray(image.convert('RGB'))
    # Four panels (image view, body, two hands) per row, one frame a row.
    assert pixels.shape == (4 * height, width, 3)
    # The masked frame's panels are drawn on the red background.
    masked_rows = (pixels == (255, 214, 214)).all(-1).sum(1)
    assert masked_rows.max() > width // 2


def test_visualize_unknown_frame_dir(repo_root, shared_data, tmp_path, capsys):
    status = call_script(
        repo_root, 'visualize_pose.py',
        shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl',
        '--frame-dir', 'NOPE', '--out-dir', tmp_path)
    assert status == 2
    assert "no clip with frame_dir 'NOPE'" in capsys.readouterr().err
