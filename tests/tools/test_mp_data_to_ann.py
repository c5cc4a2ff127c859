"""tools/data/mp_data_to_ann.py on small hand-built MP_Data folders."""
import pickle

import numpy as np
import pytest

from mmaction_masa.datasets import ISLRDataset
from mmaction_masa.datasets.converters import split_landmark_vectors
from .conftest import load_tool

H, W = 480, 640


@pytest.fixture(scope='module')
def tool(repo_root):
    return load_tool(repo_root, 'data/mp_data_to_ann.py')


def frame_vector(i: int, layout: int) -> np.ndarray:
    """Frame i: nose (0.5, 0.25) vis 0.9, right wrist (0.25, 0.5) vis 0.8,
    every left-hand joint at (i / 100, 0.5), no right hand, face = 7."""
    pose = np.zeros((33, 4))
    pose[0] = (0.5, 0.25, -0.1, 0.9)
    pose[16] = (0.25, 0.5, 0.0, 0.8)
    face = np.full((468, 3), 7.0)
    left = np.zeros((21, 3))
    left[:, 0], left[:, 1] = i / 100, 0.5
    right = np.zeros((21, 3))
    parts = dict(pose=pose, face=face, left=left, right=right)
    names = dict([(1662, ('pose', 'face', 'left', 'right')),
                  (258, ('pose', 'left', 'right')),
                  (126, ('left', 'right'))])[layout]
    return np.concatenate([parts[n].ravel() for n in names])


def write_seq(root, gloss, seq, layout, num_frames=11):
    seq_dir = root / gloss / seq
    seq_dir.mkdir(parents=True)
    for i in range(num_frames):
        np.save(seq_dir / f'{i}.npy', frame_vector(i, layout))
    return seq_dir


def convert(tool, root, tmp_path, *extra):
    out = tmp_path / 'out.pkl'
    tool.main([str(root), str(out), '--img-shape', str(H), str(W), *extra])
    with open(out, 'rb') as f:
        return pickle.load(f)


@pytest.mark.parametrize('layout', [1662, 258, 126])
def test_layouts_give_the_hand_computed_joints(tool, tmp_path, layout):
    root = tmp_path / 'MP_Data'
    write_seq(root, 'hello', '0', layout)
    content = convert(tool, root, tmp_path)
    ann, = content['annotations']
    assert content['split'] == dict(all=['hello/0'])
    assert ann['frame_dir'] == 'hello/0' and ann['gloss'] == 'hello'
    assert ann['label'] == 0 and ann['img_shape'] == (H, W)
    assert ann['total_frames'] == 11
    kp, score = ann['keypoint'][0], ann['keypoint_score'][0]
    assert kp.shape == (11, 49, 2) and score.shape == (11, 49)
    # frames in numeric order (10.npy after 9.npy): left hand x = 6.4 i px
    np.testing.assert_allclose(
        kp[:, 7:28, 0],
        np.repeat(6.4 * np.arange(11)[:, None], 21, 1),
        atol=1e-3)
    np.testing.assert_allclose(kp[1:, 7:28, 1], 240.0)
    # frame 0's left hand is all zero x but y = 0.5: still found
    np.testing.assert_array_equal(score[:, 7:28], 1.0)
    np.testing.assert_array_equal(score[:, 28:], 0.0)
    if layout == 126:  # no pose stored: no body
        np.testing.assert_array_equal(score[:, :7], 0.0)
        np.testing.assert_array_equal(kp[:, :7], 0.0)
    else:
        np.testing.assert_allclose(kp[:, 0], np.tile([320.0, 120.0], (11, 1)))
        np.testing.assert_allclose(kp[:, 6], np.tile([160.0, 240.0], (11, 1)))
        np.testing.assert_allclose(score[:, 0], 0.9, rtol=1e-6)
        np.testing.assert_allclose(score[:, 6], 0.8, rtol=1e-6)
        np.testing.assert_array_equal(score[:, 1:6], 0.0)  # all-zero joints


def test_labels_and_splits(tool, tmp_path):
    root = tmp_path / 'MP_Data'
    for seq in ('0', '1', '2', '10'):
        write_seq(root, 'thanks', seq, 258, num_frames=3)
    write_seq(root, 'hello', '0', 1662, num_frames=2)
    write_seq(root, 'hello', '1', 1662, num_frames=2)
    content = convert(tool, root, tmp_path, '--test-fraction', '0.25')
    # hello = 0, thanks = 1 (sorted); per gloss round(n / 4) >= 1 in test,
    # the numerically last sequences
    assert content['split'] == dict(
        train=['hello/0', 'thanks/0', 'thanks/1', 'thanks/2'],
        test=['hello/1', 'thanks/10'])
    labels = {a['frame_dir']: a['label'] for a in content['annotations']}
    assert labels == {
        'hello/0': 0,
        'hello/1': 0,
        'thanks/0': 1,
        'thanks/1': 1,
        'thanks/2': 1,
        'thanks/10': 1
    }
    classes = tmp_path / 'classes.txt'
    classes.write_text('thanks\nbye\nhello\n')
    out = tmp_path / 'ordered.pkl'
    tool.main([
        str(root),
        str(out), '--img-shape',
        str(H),
        str(W), '--class-list',
        str(classes)
    ])
    ds = ISLRDataset(str(out), pipeline=[], split='all')
    assert sorted({(d['gloss'], d['label'])
                   for d in ds}) == [('hello', 2), ('thanks', 0)]


def test_split_landmark_vectors_layout_1662():
    vector = np.arange(1662, dtype=np.float32)[None]
    parts = split_landmark_vectors(vector)
    # pose 0..131 as 33 x 4, face 132..1535, left 1536..1598, right ..1661
    assert parts['pose'][0, 1].tolist() == [4, 5, 6, 7]
    assert parts['face'][0, 0].tolist() == [132, 133, 134]
    assert parts['left_hand'][0, 0].tolist() == [1536, 1537, 1538]
    assert parts['right_hand'][0, 20].tolist() == [1659, 1660, 1661]


def test_bad_inputs_name_file_and_field(tool, tmp_path):
    root = tmp_path / 'MP_Data'
    seq = write_seq(root, 'hello', '0', 258, num_frames=3)
    np.save(seq / '1.npy', np.zeros(170))
    with pytest.raises(
            SystemExit,
            match=f'{seq / "1.npy"}: field "vector '
            'length" is 170, but 0.npy of the same sequence has '
            '258'):
        convert(tool, root, tmp_path)
    for i in range(3):
        np.save(seq / f'{i}.npy', np.zeros(170))
    with pytest.raises(
            SystemExit,
            match=f'{seq}: field "vector length" is '
            r'170; known MediaPipe layouts are \[1662, 258, 126\]'):
        convert(tool, root, tmp_path)
    np.save(seq / 'extra.npy', np.zeros(170))
    with pytest.raises(
            SystemExit,
            match='frame files must be named <frame '
            r"index>.npy, got \['extra.npy'\]"):
        convert(tool, root, tmp_path)
    (seq / 'extra.npy').unlink()
    (seq / '0.npy').write_text('not numpy')
    with pytest.raises(SystemExit, match=f'{seq / "0.npy"}: not a NumPy'):
        convert(tool, root, tmp_path)
    classes = tmp_path / 'classes.txt'
    classes.write_text('bye\n')
    with pytest.raises(
            SystemExit,
            match=r"gloss folders \['hello'\] are "
            'not in the class list'):
        convert(tool, root, tmp_path, '--class-list', str(classes))
    with pytest.raises(SystemExit, match='MP_Data folder not found'):
        convert(tool, tmp_path / 'nope', tmp_path)
