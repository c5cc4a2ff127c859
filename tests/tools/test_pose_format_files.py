"""pose-format ``.pose`` files -> 49-joint annotations, on hand-built files
written with the pose-format library itself."""
import pickle

import numpy as np
import pytest

pytest.importorskip(
    'pose_format',
    reason='pose-format is not installed '
    '(tools/setup_env.sh installs it)')
from pose_format import Pose
from pose_format.numpy import NumPyPoseBody
from pose_format.pose_header import (PoseHeader, PoseHeaderComponent,
                                     PoseHeaderDimensions)

from mmaction_masa.datasets.converters import read_pose_file
from .conftest import load_tool

#: MediaPipe's 33 pose landmark names (pose-format's POSE_LANDMARKS points).
BODY = ('NOSE LEFT_EYE_INNER LEFT_EYE LEFT_EYE_OUTER RIGHT_EYE_INNER '
        'RIGHT_EYE RIGHT_EYE_OUTER LEFT_EAR RIGHT_EAR MOUTH_LEFT MOUTH_RIGHT '
        'LEFT_SHOULDER RIGHT_SHOULDER LEFT_ELBOW RIGHT_ELBOW LEFT_WRIST '
        'RIGHT_WRIST LEFT_PINKY RIGHT_PINKY LEFT_INDEX RIGHT_INDEX '
        'LEFT_THUMB RIGHT_THUMB LEFT_HIP RIGHT_HIP LEFT_KNEE RIGHT_KNEE '
        'LEFT_ANKLE RIGHT_ANKLE LEFT_HEEL RIGHT_HEEL LEFT_FOOT_INDEX '
        'RIGHT_FOOT_INDEX').split()
HAND = [f'H{i}' for i in range(21)]


def component(name, points):
    return PoseHeaderComponent(
        name=name,
        points=list(points),
        limbs=[],
        colors=[(0, 0, 0)],
        point_format='XYZC')


def write_pose(path, components, data, confidence, width=640, height=480):
    header = PoseHeader(
        version=0.2,
        dimensions=PoseHeaderDimensions(width, height, 0),
        components=[component(n, p) for n, p in components])
    body = NumPyPoseBody(fps=25, data=data, confidence=confidence)
    with open(path, 'wb') as f:
        Pose(header, body).write(f)


def holistic_file(path, num_frames=3):
    """Face (2 points, first), pose, left hand, right hand; frame t: pose
    point k at (10 k + t, 5 k) with confidence 0.5, left-hand point j at
    (100 + j, 200 + t) confidence 1; right hand missing in frame 1."""
    components = [('FACE_LANDMARKS', ['F0', 'F1']), ('POSE_LANDMARKS', BODY),
                  ('LEFT_HAND_LANDMARKS', HAND),
                  ('RIGHT_HAND_LANDMARKS', HAND)]
    n = 2 + 33 + 21 + 21
    data = np.zeros((num_frames, 1, n, 3), np.float32)
    conf = np.zeros((num_frames, 1, n), np.float32)
    t = np.arange(num_frames)[:, None]
    k = np.arange(33)
    data[:, 0, 2:35, 0] = 10 * k + t
    data[:, 0, 2:35, 1] = 5 * k
    conf[:, 0, 2:35] = 0.5
    data[:, 0, 35:56, 0] = 100 + np.arange(21)
    data[:, 0, 35:56, 1] = 200 + t
    conf[:, 0, 35:56] = 1
    data[:, 0, 56:, :2] = 300
    conf[:, 0, 56:] = 1
    conf[1, 0, 56:] = 0
    data[1, 0, 56:] = 0
    conf[:, 0, :2] = 1
    write_pose(path, components, data, conf)


def test_read_pose_file_takes_the_sign_joints_by_name(tmp_path):
    path = tmp_path / 'clip.pose'
    holistic_file(path)
    track = read_pose_file(path)
    assert track.img_shape == (480, 640)
    kp, score = track.keypoint, track.keypoint_score
    assert kp.shape == (3, 49, 2) and score.shape == (3, 49)
    # body joints = pose points 0, 11..16: x = 10 k + t, y = 5 k
    k = np.array([0, 11, 12, 13, 14, 15, 16])
    for t in range(3):
        np.testing.assert_array_equal(kp[t, :7, 0], 10 * k + t)
        np.testing.assert_array_equal(kp[t, :7, 1], 5 * k)
    np.testing.assert_array_equal(score[:, :7], 0.5)
    np.testing.assert_array_equal(kp[:, 7:28, 0],
                                  np.tile(100 + np.arange(21), (3, 1)))
    np.testing.assert_array_equal(kp[:, 7:28, 1],
                                  np.repeat([[200], [201], [202]], 21, 1))
    np.testing.assert_array_equal(score[:, 7:28], 1)
    # right hand: found in frames 0 and 2 only (masked in frame 1)
    np.testing.assert_array_equal(score[:, 28:].max(1), [1, 0, 1])
    np.testing.assert_array_equal(kp[1, 28:], 0)
    np.testing.assert_array_equal(kp[0, 28:], 300)


def test_converter_cli_reads_pose_files(repo_root, tmp_path, capsys):
    pose_dir = tmp_path / 'poses' / 'sub'
    pose_dir.mkdir(parents=True)
    holistic_file(pose_dir / 'a.pose', 3)
    holistic_file(pose_dir / 'b.pose', 5)
    labels = tmp_path / 'labels.csv'
    labels.write_text('video,label,split,gloss\na,0,train,hello\n'
                      'b,1,test,bye\n')
    out = tmp_path / 'ann.pkl'
    load_tool(repo_root, 'data/mmpose_json_to_ann.py').main(
        [str(tmp_path / 'poses'),
         str(labels),
         str(out), '--joints', '49'])
    assert 'wrote 2 clips (train 1, test 1)' in capsys.readouterr().out
    with open(out, 'rb') as f:
        content = pickle.load(f)
    assert content['split'] == dict(train=['a'], test=['b'])
    a, b = content['annotations']
    assert (a['total_frames'], b['total_frames']) == (3, 5)
    assert a['img_shape'] == (480, 640) and b['gloss'] == 'bye'
    assert a['keypoint'].shape == (1, 3, 49, 2)
    # without --joints 49 the error says what to do
    with pytest.raises(
            ValueError,
            match=r'cannot make 133 joints from 49 '
            r'.*need --joints 49'):
        load_tool(repo_root, 'data/mmpose_json_to_ann.py').main(
            [str(tmp_path / 'poses'),
             str(labels), str(out)])


def test_bad_pose_files_name_file_and_field(tmp_path):
    path = tmp_path / 'openpose.pose'
    write_pose(path, [('BODY_135', [f'P{i}' for i in range(5)])],
               np.zeros((2, 1, 5, 3), np.float32),
               np.ones((2, 1, 5), np.float32))
    with pytest.raises(
            ValueError,
            match=f'{path}: field "header.components" '
            r"lacks \['POSE_LANDMARKS', 'LEFT_HAND_LANDMARKS', "
            r"'RIGHT_HAND_LANDMARKS'\]"):
        read_pose_file(path)
    broken = tmp_path / 'broken.pose'
    broken.write_bytes(b'\x00\x01')
    with pytest.raises(
            ValueError, match=f'{broken}: not a readable '
            'pose-format file'):
        read_pose_file(broken)
    short = tmp_path / 'short_hand.pose'
    write_pose(short, [('POSE_LANDMARKS', BODY),
                       ('LEFT_HAND_LANDMARKS', HAND[:20]),
                       ('RIGHT_HAND_LANDMARKS', HAND)],
               np.zeros((1, 1, 74, 3), np.float32),
               np.ones((1, 1, 74), np.float32))
    with pytest.raises(
            ValueError,
            match='component LEFT_HAND_LANDMARKS has '
            '20 points, expected 21'):
        read_pose_file(short)


def test_pose_format_holistic_file_of_a_real_video(shared_data, tmp_path):
    """pose-format's own MediaPipe Holistic extraction of FOOTBALL.mp4,
    written as .pose and read back: the same joints as our extraction."""
    from pose_format.utils.holistic import load_holistic

    from mmaction_masa.datasets.converters import extract_video_mediapipe
    from mmaction_masa.datasets.converters.mediapipe_poses import \
        iter_video_frames
    video = shared_data / 'real' / 'FOOTBALL.mp4'
    frames = [f[..., ::-1] for f in iter_video_frames(video)]  # RGB
    pose = load_holistic(
        frames,
        fps=30,
        width=640,
        height=360,
        additional_holistic_config=dict(model_complexity=1))
    path = tmp_path / 'FOOTBALL.pose'
    with open(path, 'wb') as f:
        pose.write(f)
    track = read_pose_file(path)
    ours = extract_video_mediapipe(video)
    assert track.img_shape == ours.img_shape == (360, 640)
    assert track.keypoint.shape == ours.keypoint.shape == (62, 49, 2)
    found = (track.keypoint_score > 0) & (ours.keypoint_score > 0)
    assert found[:, 7:].mean() > 0.9
    np.testing.assert_allclose(
        track.keypoint[found], ours.keypoint[found], atol=1.0)
