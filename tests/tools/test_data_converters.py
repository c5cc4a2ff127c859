"""Tests of the pose-file / split-file converters and their tools/data CLIs."""
import collections
import json
import pickle

import numpy as np
import pytest

from mmaction_masa.datasets import ISLRDataset
from mmaction_masa.datasets.converters.benchmarks import (msasl_index,
                                                          slr500_index,
                                                          wlasl_index)
from mmaction_masa.datasets.converters.pose_files import (
    build_annotations, index_pose_files, load_mmpose_predictions,
    read_label_csv, read_pose_file, select_signer, to_sign_joints)
from mmaction_masa.datasets.converters.records import VideoEntry
from mmaction_masa.datasets.wlasl import WLASLDataset
from mmaction_masa.sign_layout import COCO_WHOLEBODY_INDICES
from .conftest import load_tool


def person(offset, size=10.0, score=0.9, bbox='nested'):
    """An MMPose instance: 133 keypoints around ``offset``."""
    kpts = np.full((133, 2), offset, np.float32)
    kpts += np.linspace(0, size, 133)[:, None]
    inst = dict(
        keypoints=kpts.tolist(), keypoint_scores=[score] * 133, bbox_score=1)
    box = [offset, offset, offset + size, offset + size]
    if bbox == 'nested':
        inst['bbox'] = [box]  # as MMPoseInferencer writes it
    elif bbox == 'flat':
        inst['bbox'] = box
    return inst


def frames_of(keypoint, score):
    """MMPoseInferencer JSON frames with one person per frame."""
    return [
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


@pytest.fixture(scope='module')
def real_133(shared_data):
    with open(shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl',
              'rb') as f:
        return pickle.load(f)['annotations']


def test_select_signer_largest_and_empty_frames():
    frames = [
        dict(frame_id=0, instances=[person(0, 10),
                                    person(100, 50)]),
        dict(frame_id=1, instances=[]),
        dict(
            frame_id=3,
            instances=[person(5, 40, bbox=None),
                       person(200, 40, score=0.1)]),
        dict(frame_id=2, instances=[person(7, 20, bbox='flat')]),
    ]
    track = select_signer(frames, 'largest')
    assert track.keypoint.shape == (4, 133, 2)
    assert track.keypoint_score.shape == (4, 133)
    assert track.keypoint.dtype == np.float32
    np.testing.assert_allclose(track.keypoint[:, 0, 1], [100, 0, 7, 5])
    np.testing.assert_array_equal(track.keypoint[1], 0)
    np.testing.assert_array_equal(track.keypoint_score[1], 0)
    np.testing.assert_allclose(track.keypoint_score[3], 0.9)


def test_select_signer_track_follows_first_signer():
    frames = [
        dict(frame_id=0, instances=[person(0, 30),
                                    person(300, 10)]),
        dict(frame_id=1, instances=[person(290, 90),
                                    person(4, 30)]),
        dict(frame_id=2, instances=[]),
        dict(frame_id=3, instances=[person(8, 30),
                                    person(280, 100)]),
    ]
    np.testing.assert_allclose(
        select_signer(frames, 'track').keypoint[:, 0, 1], [0, 4, 0, 8])
    np.testing.assert_allclose(
        select_signer(frames, 'largest').keypoint[:, 0, 1], [0, 290, 0, 280])
    assert select_signer([], 'track').keypoint.shape == (0, 133, 2)


def test_select_signer_errors():
    with pytest.raises(ValueError, match='strategy must be one of'):
        select_signer([], 'biggest')
    twice = [dict(frame_id=0, instances=[]), dict(frame_id=0, instances=[])]
    with pytest.raises(
            ValueError, match='v.json: frame_id values must be '
            'unique'):
        select_signer(twice, source='v.json')
    body17 = [
        dict(
            frame_id=0,
            instances=[
                dict(keypoints=[[0, 0]] * 17, keypoint_scores=[1] * 17)
            ])
    ]
    with pytest.raises(
            ValueError,
            match=r'v.json: instances have '
            r'"keypoints" of shape \(17, 2\)'):
        select_signer(body17, source='v.json')
    no_scores = [dict(frame_id=0, instances=[dict(keypoints=[[0, 0]] * 133)])]
    with pytest.raises(ValueError, match='needs "keypoints"'):
        select_signer(no_scores, source='v.json')


def test_load_mmpose_predictions_errors(tmp_path):
    bad_json = tmp_path / 'bad.json'
    bad_json.write_text('{not json')
    with pytest.raises(ValueError, match='bad.json: not a JSON file'):
        load_mmpose_predictions(bad_json)
    image_style = tmp_path / 'image.json'
    image_style.write_text(json.dumps([person(0)]))
    with pytest.raises(
            ValueError,
            match='image.json: expected '
            'MMPoseInferencer video predictions'):
        load_mmpose_predictions(image_style)


def test_to_sign_joints():
    kp = np.random.default_rng(0).random((2, 5, 133, 2)).astype(np.float32)
    score = kp[..., 0]
    kp49, score49 = to_sign_joints(kp, score, 49)
    np.testing.assert_array_equal(kp49, kp[..., COCO_WHOLEBODY_INDICES, :])
    np.testing.assert_array_equal(score49, score[..., COCO_WHOLEBODY_INDICES])
    assert to_sign_joints(kp49, score49, 49)[0] is kp49
    assert to_sign_joints(kp, score, 133)[0] is kp
    with pytest.raises(ValueError, match='cannot make 133 joints from 49'):
        to_sign_joints(kp49, score49, 133)
    with pytest.raises(ValueError, match='joints must be 49 or 133'):
        to_sign_joints(kp, score, 17)


def test_read_pose_file_pickle(tmp_path):
    path = tmp_path / 'v.pkl'
    kp = np.ones((2, 3, 49, 2), np.float32)
    path.write_bytes(
        pickle.dumps(
            dict(keypoint=kp, keypoint_score=kp[..., 0], img_shape=[4, 5])))
    track = read_pose_file(path)
    assert track.keypoint.shape == (3, 49, 2) and track.img_shape == (4, 5)
    path.write_bytes(pickle.dumps(dict(keypoint=kp[0, 0])))
    with pytest.raises(ValueError, match='v.pkl: expected a dict with'):
        read_pose_file(path)
    path.write_bytes(pickle.dumps(dict(keypoint=kp[0], keypoint_score=kp)))
    with pytest.raises(ValueError, match=r'v.pkl: field "keypoint"'):
        read_pose_file(path)
    with pytest.raises(ValueError, match='pose files must end in'):
        read_pose_file(tmp_path / 'v.npz')


def test_index_pose_files(tmp_path):
    (tmp_path / 'a').mkdir()
    (tmp_path / 'a' / 'x.json').write_text('[]')
    (tmp_path / 'y.pkl').write_bytes(b'')
    (tmp_path / 'notes.txt').write_text('')
    assert index_pose_files(tmp_path) == {
        'x': tmp_path / 'a' / 'x.json',
        'y': tmp_path / 'y.pkl'
    }
    (tmp_path / 'x.pkl').write_bytes(b'')
    with pytest.raises(ValueError, match="two pose files for video 'x'"):
        index_pose_files(tmp_path)
    with pytest.raises(FileNotFoundError, match='pose directory not found'):
        index_pose_files(tmp_path / 'nope')


def test_read_label_csv(tmp_path):
    path = tmp_path / 'labels.csv'
    path.write_text('video,label,gloss\nFOOTBALL,0,football\nSOUP,1,\n')
    assert read_label_csv(path) == [
        VideoEntry('FOOTBALL', 0, 'all', gloss='football'),
        VideoEntry('SOUP', 1, 'all')
    ]
    for text, problem in (('name,label\na,1\n', 'expected a CSV header'),
                          ('video,label\na,x\n', "line 2: label 'x'"),
                          ('video,label\na,1\na,2\n', "line 3: video 'a'")):
        path.write_text(text)
        with pytest.raises(ValueError, match=problem):
            read_label_csv(path)


def test_build_annotations_trim_missing_and_empty(tmp_path):
    kp = np.arange(6 * 133 * 2, dtype=np.float32).reshape(6, 133, 2)
    for name in ('a', 'b'):
        (tmp_path / f'{name}.pkl').write_bytes(
            pickle.dumps(dict(keypoint=kp, keypoint_score=kp[..., 0])))
    entries = [
        VideoEntry('a', 3, 'train', 1, 4, gloss='x'),
        VideoEntry('b', 1, 'test', 6, None),
        VideoEntry('c', 2, 'train')
    ]
    result = build_annotations(
        entries,
        index_pose_files(tmp_path),
        joints=49,
        trim=True,
        img_shapes=dict(a=(10, 20)))
    assert result.missing == ['c'] and result.empty == ['b']
    assert result.split == dict(train=['a'])
    ann, = result.annotations
    assert ann['total_frames'] == 3 and ann['gloss'] == 'x'
    assert ann['img_shape'] == (10, 20) and ann['label'] == 3
    np.testing.assert_array_equal(
        ann['keypoint'], kp[None, 1:4][..., COCO_WHOLEBODY_INDICES, :])
    untrimmed = build_annotations(entries, index_pose_files(tmp_path))
    assert [a['total_frames'] for a in untrimmed.annotations] == [6, 6]
    assert untrimmed.split == dict(train=['a'], test=['b'])


def test_mmpose_json_round_trip_on_real_poses(real_133, tmp_path, repo_root,
                                              capsys):
    pose_dir = tmp_path / 'poses'
    pose_dir.mkdir()
    for ann in real_133:
        (pose_dir / f'{ann["frame_dir"]}.json').write_text(
            json.dumps(
                frames_of(ann['keypoint'][0], ann['keypoint_score'][0])))
    labels = tmp_path / 'labels.csv'
    labels.write_text('video,label,split,gloss\nFOOTBALL,0,train,football\n'
                      'SOUP,1,test,soup\nMISSING,2,test,x\n')
    tool = load_tool(repo_root, 'data/mmpose_json_to_ann.py')
    for joints in (133, 49):
        out = tmp_path / f'ann{joints}.pkl'
        tool.main(
            [str(pose_dir),
             str(labels),
             str(out), '--joints',
             str(joints)])
        report = capsys.readouterr().out
        assert 'wrote 2 clips (train 1, test 1)' in report
        assert "skipped 1 videos with no pose file, e.g. ['MISSING']" in report
        with open(out, 'rb') as f:
            content = pickle.load(f)
        assert content['split'] == dict(train=['FOOTBALL'], test=['SOUP'])
        for got, ref in zip(content['annotations'], real_133):
            index = list(COCO_WHOLEBODY_INDICES) if joints == 49 else ...
            np.testing.assert_array_equal(got['keypoint'],
                                          ref['keypoint'][:, :, index])
            np.testing.assert_array_equal(got['keypoint_score'],
                                          ref['keypoint_score'][:, :, index])
            assert got['total_frames'] == ref['total_frames']
            assert got['keypoint'].shape[2] == joints
        ds = ISLRDataset(str(out), pipeline=[], split='test')
        assert len(ds) == 1 and ds.metainfo['classes'] == ('football', 'soup')


def test_wlasl_index_on_official_metadata(shared_data):
    meta = shared_data / 'metadata' / 'wlasl'
    full = wlasl_index(meta, 2000)
    assert len({e.label for e in full}) == 2000
    assert collections.Counter(e.split for e in full) == dict(
        train=14296, val=3920, test=2879)
    class_list = [
        line.split('\t')[1]
        for line in (meta / 'wlasl_class_list.txt').read_text().splitlines()
    ]
    glosses = {e.label: e.gloss for e in full}
    # the class list is WLASL_v0.3.json's gloss order (one typo in the list)
    assert [i for i in range(2000) if glosses[i] != class_list[i]] == [163]
    for k, count in ((100, 2038), (300, 5118), (1000, 13174)):
        subset = wlasl_index(meta, k)
        assert len(subset) == count
        assert {e.label for e in subset} == set(range(k))
        assert sorted(subset) == sorted(e for e in full if e.label < k)
    first = wlasl_index(meta, 100)[0]
    assert first.video_id == '05237' and first.label == 77
    assert (first.frame_start, first.frame_end) == (0, 55)
    assert first.gloss == class_list[77]
    with pytest.raises(ValueError, match='WLASL subset must be one of'):
        wlasl_index(meta, 50)


def test_msasl_index_on_official_metadata(shared_data):
    meta = shared_data / 'metadata' / 'msasl'
    full = msasl_index(meta)
    assert len(full) == 25513
    for k in (100, 200, 1000):
        assert {e.label for e in msasl_index(meta, k)} == set(range(k))
    assert collections.Counter(e.split for e in msasl_index(meta, 100)) == \
        dict(train=3789, val=1190, test=757)
    entry = full[5]
    assert entry.video_id == 'train_00005' and entry.gloss == 'school'
    assert (entry.frame_start, entry.frame_end) == (33, 111)
    glosses = collections.defaultdict(set)
    for e in full:
        glosses[e.label].add(e.gloss)
    assert all(len(g) == 1 for g in glosses.values())


def _by_split(entries):
    by_split = collections.defaultdict(list)
    for e in entries:
        by_split[e.split].append(e)
    return by_split


def test_slr500_index_paper_split_on_official_metadata(shared_data):
    # The paper: 36 training signers (90,000 clips), 14 test (35,000). The
    # released CSVs lack 55 training clips (124,945 of 50 x 500 x 5 =
    # 125,000), all of signers 1-35, so train is 90,000 - 55.
    meta = shared_data / 'metadata' / 'slr500'
    by_split = _by_split(slr500_index(meta))
    assert {
        k: len(v)
        for k, v in by_split.items()
    } == dict(
        train=90000 - 55, test=35000)
    assert {e.signer for e in by_split['train']} == set(range(1, 37))
    assert {e.signer for e in by_split['test']} == set(range(37, 51))


def test_slr500_index_on_official_metadata(shared_data):
    meta = shared_data / 'metadata' / 'slr500'
    entries = slr500_index(meta, split_rule='csv')
    assert len({e.label for e in entries}) == 500
    by_split = _by_split(entries)
    assert {
        k: len(v)
        for k, v in by_split.items()
    } == dict(
        train=87445, test=37500)
    assert max(e.signer for e in by_split['train']) == 35
    assert min(e.signer for e in by_split['test']) == 36
    assert {e.label for e in by_split['test']} == set(range(500))
    assert entries[0] == VideoEntry(
        'P09_01_00_3._color', 0, 'train', gloss='丈夫', signer=9)
    names = {e.label: e.gloss for e in entries}
    gloss_file = (meta / 'CSL' / 'gloss_label.txt').read_text('utf-8')
    assert set(names.values()) == set(gloss_file.split())
    assert len(set(names.values())) == 500


def test_slr500_index_rejects_mislabelled_path(tmp_path):
    for split in ('train', 'test'):
        (tmp_path / f'split.{split}.csv'
         ).write_text('video_path,class_name\n001/P01_01_00_0._color.mp4,x\n')
    with pytest.raises(
            ValueError,
            match='001/P01_01_00_0._color.mp4 does '
            'not name a clip of the label of its folder'):
        slr500_index(tmp_path)


def write_poses(pose_dir, video_ids, num_frames=5, num_joints=133):
    pose_dir.mkdir(exist_ok=True)
    for i, video_id in enumerate(video_ids):
        kp = np.full((num_frames, num_joints, 2), i, np.float32)
        (pose_dir / f'{video_id}.pkl').write_bytes(
            pickle.dumps(
                dict(keypoint=kp, keypoint_score=(kp[..., 0] + 1) / 4)))


def test_build_wlasl_tool(shared_data, tmp_path, repo_root, capsys):
    meta = shared_data / 'metadata' / 'wlasl'
    picked = [e for e in wlasl_index(meta, 100)][:3]
    write_poses(tmp_path / 'poses', [e.video_id for e in picked])
    out = tmp_path / 'wlasl.pkl'
    load_tool(repo_root, 'data/build_wlasl.py').main(
        [str(meta),
         str(tmp_path / 'poses'),
         str(out), '--joints', '49'])
    report = capsys.readouterr().out
    assert 'wrote 3 clips' in report
    assert 'skipped 21092 videos with no pose file' in report
    ds = WLASLDataset(str(out), pipeline=[], subset=100)
    assert len(ds) == 3
    assert [ds[i]['label'] for i in range(3)] == [e.label for e in picked]
    assert ds[0]['keypoint'].shape == (1, 5, 49, 2)
    assert ds[0]['gloss'] == picked[0].gloss


def test_build_msasl_tool_with_trim(shared_data, tmp_path, repo_root, capsys):
    meta = shared_data / 'metadata' / 'msasl'
    write_poses(
        tmp_path / 'poses', ['train_00005', 'test_00000'], num_frames=200)
    out = tmp_path / 'msasl.pkl'
    load_tool(repo_root, 'data/build_msasl.py').main(
        [str(meta), str(tmp_path / 'poses'),
         str(out), '--trim'])
    assert 'wrote 2 clips (train 1, test 1)' in capsys.readouterr().out
    with open(out, 'rb') as f:
        anns = pickle.load(f)['annotations']
    assert anns[0]['frame_dir'] == 'train_00005'
    assert anns[0]['total_frames'] == 111 - 33  # frames 33..110


def test_build_slr500_tool(shared_data, tmp_path, repo_root, capsys):
    meta = shared_data / 'metadata' / 'slr500'
    write_poses(tmp_path / 'poses',
                ['P09_01_00_3._color', 'P50_25_19_3._color'])
    out = tmp_path / 'slr.pkl'
    load_tool(repo_root, 'data/build_slr500.py').main(
        [str(meta), str(tmp_path / 'poses'),
         str(out)])
    assert 'wrote 2 clips (train 1, test 1)' in capsys.readouterr().out
    with open(out, 'rb') as f:
        content = pickle.load(f)
    assert content['split'] == dict(
        train=['P09_01_00_3._color'], test=['P50_25_19_3._color'])
    assert [a['label'] for a in content['annotations']] == [0, 499]
