"""Tests of tools/data/extract_poses.py (video -> MediaPipe Holistic or
MMPose -> annotations)."""
import json
import pickle
import subprocess
import sys
from importlib.util import find_spec

import numpy as np
import pytest

from mmaction_masa.datasets import ISLRDataset
from mmaction_masa.datasets.converters import INSTALL_HINT
from mmaction_masa.sign_layout import BODY_INDEX, COCO_WHOLEBODY_INDICES
from .conftest import load_tool

FULL_MMCV = (
    find_spec('mmcv') is not None and find_spec('mmcv._ext') is not None)


@pytest.fixture(scope='module')
def tool(repo_root):
    return load_tool(repo_root, 'data/extract_poses.py')


@pytest.fixture(scope='module')
def football(shared_data):
    """The real FOOTBALL video and its real 133-joint MMPose annotation."""
    with open(shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl',
              'rb') as f:
        anns = pickle.load(f)['annotations']
    ann = next(a for a in anns if a['frame_dir'] == 'FOOTBALL')
    return shared_data / 'real' / 'FOOTBALL.mp4', ann


def write_mmpose_json(path, keypoint, score):
    """Write MMPoseInferencer video predictions, one person per frame."""
    frames = [
        dict(
            frame_id=i,
            instances=[
                dict(
                    keypoints=keypoint[i].tolist(),
                    keypoint_scores=score[i].tolist(),
                    bbox=[[0.0, 0.0, 640.0, 360.0]],
                    bbox_score=0.99)
            ]) for i in range(len(keypoint))
    ]
    path.write_text(json.dumps(frames))


@pytest.mark.skipif(
    FULL_MMCV,
    reason='full mmcv is installed: the pose '
    'model would really run')
def test_missing_full_mmcv_exits_with_install_hint(football, tmp_path,
                                                   repo_root):
    video, _ = football
    proc = subprocess.run([
        sys.executable,
        str(repo_root / 'tools' / 'data' / 'extract_poses.py'),
        str(video), '--pose-dir',
        str(tmp_path / 'poses'), '--ann-file',
        str(tmp_path / 'a.pkl'), '--backend', 'mmpose'
    ],
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 1
    assert 'extract_poses.py: cannot run the pose model: full mmcv ' \
        '(mmcv._ext)' in proc.stderr
    assert INSTALL_HINT in proc.stderr
    assert 'mim install mmcv==2.1.0 mmdet mmpose' in proc.stderr
    assert not (tmp_path / 'a.pkl').exists()
    assert list((tmp_path / 'poses').iterdir()) == []


def test_existing_json_is_converted_with_49_joints(tool, football, tmp_path,
                                                   capsys):
    video, ann = football
    pose_dir = tmp_path / 'poses'
    pose_dir.mkdir()
    write_mmpose_json(pose_dir / 'FOOTBALL.json', ann['keypoint'][0],
                      ann['keypoint_score'][0])
    labels = tmp_path / 'labels.csv'
    labels.write_text('video,label,split,gloss\nFOOTBALL,3,test,football\n')
    out = tmp_path / 'ann.pkl'
    # runs without any pose model: the video's JSON already exists
    tool.main([
        str(video), '--pose-dir',
        str(pose_dir), '--ann-file',
        str(out), '--labels',
        str(labels), '--joints', '49', '--backend', 'mmpose'
    ])
    report = capsys.readouterr().out
    assert f'poses of 1 videos in {pose_dir}' in report
    assert 'wrote 1 clips (test 1)' in report
    with open(out, 'rb') as f:
        content = pickle.load(f)
    assert content['split'] == dict(test=['FOOTBALL'])
    got, = content['annotations']
    assert got['label'] == 3 and got['gloss'] == 'football'
    assert got['img_shape'] == (360, 640)  # read from the video
    assert got['total_frames'] == 62
    assert got['keypoint'].shape == (1, 62, 49, 2)
    index = list(COCO_WHOLEBODY_INDICES)
    np.testing.assert_array_equal(got['keypoint'], ann['keypoint'][...,
                                                                   index, :])
    np.testing.assert_array_equal(got['keypoint_score'],
                                  ann['keypoint_score'][..., index])
    # the mapping is semantically right: each hand's root joint sits at
    # the body wrist of its side (COCO-WholeBody hand 91 / 112 vs wrist 9/10)
    kp, score = got['keypoint'][0], got['keypoint_score'][0]
    shoulder_width = np.linalg.norm(
        kp[:, BODY_INDEX['left_shoulder']] -
        kp[:, BODY_INDEX['right_shoulder']],
        axis=-1)
    for hand_root, wrist in ((7, BODY_INDEX['left_wrist']),
                             (28, BODY_INDEX['right_wrist'])):
        seen = (score[:, hand_root] > 0.5) & (score[:, wrist] > 0.5)
        assert seen.sum() >= 10
        gap = np.linalg.norm(kp[seen, hand_root] - kp[seen, wrist], axis=-1)
        assert np.median(gap / shoulder_width[seen]) < 0.25


def test_unlabelled_clips_from_a_video_directory(tool, football, tmp_path):
    video, ann = football
    videos = tmp_path / 'videos' / 'sub'
    videos.mkdir(parents=True)
    (videos / 'FOOTBALL.mp4').symlink_to(video)
    (videos / 'notes.txt').write_text('not a video')
    pose_dir = tmp_path / 'poses'
    pose_dir.mkdir()
    write_mmpose_json(pose_dir / 'FOOTBALL.json', ann['keypoint'][0],
                      ann['keypoint_score'][0])
    out = tmp_path / 'unlabelled.pkl'
    tool.main([
        str(tmp_path / 'videos'), '--pose-dir',
        str(pose_dir), '--ann-file',
        str(out), '--img-shape', '720', '1280', '--backend', 'mmpose'
    ])
    with open(out, 'rb') as f:
        content = pickle.load(f)
    assert content['split'] == dict(all=['FOOTBALL'])
    got, = content['annotations']
    assert got['label'] == -1 and got['img_shape'] == (720, 1280)
    np.testing.assert_array_equal(got['keypoint'], ann['keypoint'])
    ds = ISLRDataset(str(out), pipeline=[], split='all', allow_unlabelled=True)
    assert len(ds) == 1 and ds[0]['keypoint'].shape == (1, 62, 133, 2)


def test_without_ann_file_only_poses_are_kept(tool, football, tmp_path,
                                              capsys):
    video, ann = football
    pose_dir = tmp_path / 'poses'
    pose_dir.mkdir()
    write_mmpose_json(pose_dir / 'FOOTBALL.json', ann['keypoint'][0],
                      ann['keypoint_score'][0])
    tool.main([str(video), '--pose-dir', str(pose_dir), '--backend', 'mmpose'])
    assert capsys.readouterr().out == f'poses of 1 videos in {pose_dir}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['poses']


def test_bad_video_arguments(tool, tmp_path):
    text = tmp_path / 'clip.txt'
    text.write_text('')
    (tmp_path / 'empty').mkdir()
    for arg, message in ((tmp_path / 'nope.mp4',
                          'no such video or directory: '),
                         (text, r'clip.txt: not a video'),
                         (tmp_path / 'empty',
                          'extract_poses.py: no video in')):
        with pytest.raises(SystemExit, match=message):
            tool.main([str(arg), '--pose-dir', str(tmp_path / 'poses')])


@pytest.fixture(scope='module')
def mediapipe_run(tool, football, tmp_path_factory):
    """The real MediaPipe extraction of FOOTBALL.mp4 (default backend)."""
    video, _ = football
    root = tmp_path_factory.mktemp('mediapipe')
    labels = root / 'labels.csv'
    labels.write_text('video,label,split,gloss\nFOOTBALL,3,test,football\n')
    tool.main([
        str(video), '--pose-dir',
        str(root / 'poses'), '--ann-file',
        str(root / 'ann.pkl'), '--labels',
        str(labels)
    ])
    with open(root / 'ann.pkl', 'rb') as f:
        return root, pickle.load(f)


def test_mediapipe_extraction_of_a_real_video(mediapipe_run):
    root, content = mediapipe_run
    assert content['split'] == dict(test=['FOOTBALL'])
    got, = content['annotations']
    assert got['label'] == 3 and got['gloss'] == 'football'
    # FOOTBALL.mp4: 62 decodable frames of 640 x 360 (the container says 64)
    assert got['total_frames'] == 62 and got['img_shape'] == (360, 640)
    assert got['keypoint'].shape == (1, 62, 49, 2)
    assert got['keypoint_score'].shape == (1, 62, 49)
    kp, score = got['keypoint'][0], got['keypoint_score'][0]
    # the signer faces the camera: the body is found in every frame, and
    # each hand (score 1 when found, 0 when not) in nearly every frame
    assert (score[:, :7] > 0.5).all()
    assert set(np.unique(score[:, 7:])) <= {0.0, 1.0}
    for hand in (slice(7, 28), slice(28, 49)):
        found = score[:, hand].max(1) == 1
        assert found.sum() >= 55
        assert (score[found, hand] == 1).all()
        assert (kp[~found, hand] == 0).all()
    seen = kp[score > 0]
    assert (seen >= 0).all() and (seen[:, 0] <= 640).all() and (seen[:, 1]
                                                                <= 360).all()
    # the signer's left side is on the image's right
    assert (kp[:, BODY_INDEX['left_shoulder'], 0]
            > kp[:, BODY_INDEX['right_shoulder'], 0]).all()
    pose_file = root / 'poses' / 'FOOTBALL.pkl'
    with open(pose_file, 'rb') as f:
        stored = pickle.load(f)
    assert stored['backend'] == 'mediapipe'
    np.testing.assert_array_equal(stored['keypoint'], kp)


def test_mediapipe_joints_match_the_mmpose_annotation(mediapipe_run, football):
    """The 49 joints are the same body points as MMPose's COCO-WholeBody
    ones: a swapped side or a shifted index would be a shoulder width off."""
    _, content = mediapipe_run
    _, mmpose_ann = football
    index = list(COCO_WHOLEBODY_INDICES)
    ref = mmpose_ann['keypoint'][0][:, index]
    ref_score = mmpose_ann['keypoint_score'][0][:, index]
    got, = content['annotations']
    kp, score = got['keypoint'][0], got['keypoint_score'][0]
    shoulder_width = np.linalg.norm(
        ref[:, BODY_INDEX['left_shoulder']] -
        ref[:, BODY_INDEX['right_shoulder']],
        axis=-1)
    both = (score > 0) & (ref_score > 0.3)
    assert both.sum(0).min() >= 50  # every joint compared in >= 50 frames
    error = np.linalg.norm(kp - ref, axis=-1) / shoulder_width[:, None]
    per_joint = np.array([np.median(error[both[:, j], j]) for j in range(49)])
    assert per_joint.max() < 0.15, per_joint.round(3)


def test_mediapipe_existing_pose_file_is_reused(tool, football, mediapipe_run,
                                                capsys):
    video, _ = football
    root, _ = mediapipe_run
    pose_file = root / 'poses' / 'FOOTBALL.pkl'
    before = pose_file.stat().st_mtime_ns
    out = root / 'again.pkl'
    tool.main([
        str(video), '--pose-dir',
        str(root / 'poses'), '--ann-file',
        str(out)
    ])
    assert pose_file.stat().st_mtime_ns == before
    assert 'wrote 1 clips (all 1)' in capsys.readouterr().out
    with open(out, 'rb') as f:
        got, = pickle.load(f)['annotations']
    assert got['label'] == -1 and got['keypoint'].shape == (1, 62, 49, 2)


def test_mediapipe_gives_49_joints_only(tool, football, tmp_path, capsys):
    video, _ = football
    with pytest.raises(SystemExit):
        tool.main([str(video), '--pose-dir', str(tmp_path), '--joints', '133'])
    assert ('--backend mediapipe gives the 49 sign joints only; --joints '
            '133 needs --backend mmpose') in capsys.readouterr().err


def test_unreadable_video_names_the_file(tool, tmp_path):
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'not a video')
    with pytest.raises(SystemExit, match=f'{broken}: cannot read the video'):
        tool.main([str(broken), '--pose-dir', str(tmp_path / 'poses')])
