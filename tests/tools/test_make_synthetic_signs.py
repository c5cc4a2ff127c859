"""Tests of the synthetic sign-pose generator and its tools/data CLI."""
import pickle
import re

import numpy as np
import pytest

from mmaction_masa.datasets import ISLRDataset
from mmaction_masa.datasets.converters.synthetic import (hand_skeleton,
                                                         make_synthetic_signs)
from mmaction_masa.datasets.transforms import (MotionAwareMask, PartNormalize,
                                               SelectSignJoints,
                                               SignSampleFrames)
from mmaction_masa.sign_layout import (BODY_INDEX, LEFT_HAND_SLICE,
                                       RIGHT_HAND_SLICE)
from .conftest import load_tool


def synth_tool(repo_root):
    """``tools/data/make_synthetic_signs.py`` as a module."""
    return load_tool(repo_root, 'data/make_synthetic_signs.py')


@pytest.fixture(scope='module')
def ann_file(repo_root, tmp_path_factory):
    """The default dataset written by the command-line tool."""
    out = tmp_path_factory.mktemp('synth') / 'signs.pkl'
    synth_tool(repo_root).main([
        str(out), '--num-classes', '10', '--signers', '8', '--test-signers',
        '2', '--reps', '3', '--seed', '0'
    ])
    return out


@pytest.fixture(scope='module')
def content(ann_file):
    with open(ann_file, 'rb') as f:
        return pickle.load(f)


def test_cli_report_and_file_loads_as_islr_dataset(ann_file, content, capsys,
                                                   repo_root, tmp_path):
    sizes = {}
    for split in ('train', 'test'):
        ds = ISLRDataset(str(ann_file), pipeline=[], split=split)
        sizes[split] = len(ds)
        assert ds.num_classes == 10
        assert ds.metainfo['classes'] == tuple(f'synth_sign_{i:03d}'
                                               for i in range(10))
        assert sorted({ds[i]['label']
                       for i in range(len(ds))}) == list(range(10))
    assert sizes == dict(train=6 * 10 * 3, test=2 * 10 * 3)
    synth_tool(repo_root).main([
        str(tmp_path / 'x.pkl'), '--num-classes', '3', '--signers', '2',
        '--test-signers', '1', '--reps', '1'
    ])
    assert capsys.readouterr().out == (
        'wrote 6 synthetic clips (train 3, test 3) of 3 classes to '
        f'{tmp_path / "x.pkl"}\n')


def test_annotations_are_marked_synthetic_with_shapes(content):
    meta = content['meta']
    assert meta['synthetic'] is True and meta['seed'] == 0
    assert meta['img_shape'] == (480, 640) and meta['num_classes'] == 10
    for ann in content['annotations']:
        assert ann['synthetic'] is True
        match = re.fullmatch(r'synth_c(\d{3})_s(\d{2})_r(\d)',
                             ann['frame_dir'])
        assert match and int(match[1]) == ann['label']
        assert int(match[2]) == ann['signer'] and int(match[3]) < 3
        num_frames = ann['total_frames']
        assert 20 <= num_frames <= 60
        assert ann['keypoint'].shape == (1, num_frames, 49, 2)
        assert ann['keypoint_score'].shape == (1, num_frames, 49)
        assert ann['keypoint'].dtype == ann['keypoint_score'].dtype == \
            np.float32
        assert ann['img_shape'] == (480, 640)
    lengths = [a['total_frames'] for a in content['annotations']]
    assert max(lengths) - min(lengths) >= 20  # durations vary


def test_split_is_by_signer(content):
    signer = {a['frame_dir']: a['signer'] for a in content['annotations']}
    train = {signer[f] for f in content['split']['train']}
    test = {signer[f] for f in content['split']['test']}
    assert train == set(range(6)) and test == {6, 7}
    assert len(content['split']['train']) + len(content['split']['test']) \
        == len(content['annotations'])


def test_deterministic_for_a_seed():
    first = make_synthetic_signs(
        num_classes=3, signers=2, test_signers=1, reps=1, seed=5)
    again = make_synthetic_signs(
        num_classes=3, signers=2, test_signers=1, reps=1, seed=5)
    other = make_synthetic_signs(
        num_classes=3, signers=2, test_signers=1, reps=1, seed=6)
    assert first['split'] == again['split']
    for a, b in zip(first['annotations'], again['annotations']):
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
        np.testing.assert_array_equal(a['keypoint_score'], b['keypoint_score'])
    assert not all(a['keypoint'].shape == b['keypoint'].shape
                   and np.array_equal(a['keypoint'], b['keypoint'])
                   for a, b in zip(first['annotations'], other['annotations']))


def test_dropouts_and_coordinates_inside_the_image(content):
    whole_hand_lost = 0
    for ann in content['annotations']:
        kp, score = ann['keypoint'][0], ann['keypoint_score'][0]
        lost = score == 0
        np.testing.assert_array_equal(kp[lost], 0)
        assert (score >= 0).all() and (score <= 1).all()
        seen = kp[~lost]
        assert (seen >= 0).all()
        assert (seen[:, 0] <= 639).all() and (seen[:, 1] <= 479).all()
        for part in (LEFT_HAND_SLICE, RIGHT_HAND_SLICE):
            whole_hand_lost += int(lost[:, part].all(-1).any())
    # undetected-hand runs occur in a good share of the clips
    assert 0.2 * len(content['annotations']) <= whole_hand_lost
    other_shape = make_synthetic_signs(
        num_classes=2,
        signers=2,
        test_signers=1,
        reps=1,
        img_shape=(720, 1280))
    for ann in other_shape['annotations']:
        seen = ann['keypoint'][0][ann['keypoint_score'][0] > 0]
        assert seen[:, 0].max() <= 1279 and seen[:, 1].max() <= 719
        assert seen[:, 0].max() > 640  # scaled to the larger frame


def test_motion_aware_mask_finds_candidates(content):
    pipeline = [
        SelectSignJoints(),
        PartNormalize(),
        SignSampleFrames(clip_len=32, test_mode=True),
        MotionAwareMask(interval=3, motion_thr=5.0, ratio_thr=0.5)
    ]
    has_candidates, moving = [], []
    np.random.seed(0)
    for ann in content['annotations']:
        results = dict(
            ann,
            keypoint=ann['keypoint'].copy(),
            keypoint_score=ann['keypoint_score'].copy())
        for transform in pipeline:
            results = transform(results)
        assert results['keypoint'].shape == (1, 32, 49, 2)
        has_candidates.append(results['motion_candidates'].any())
        truncated = np.abs(results['motion_target'][:29]) * \
            results['motion_weight'][:29, :, None]
        moving.append((truncated >= 5).mean())
    assert np.mean(has_candidates) >= 0.7
    assert np.mean(moving) >= 0.25


def wrist_features(ann):
    """Flip-invariant features: wrist paths and dominant fingertips."""
    kp, score = ann['keypoint'][0].astype(np.float64), ann['keypoint_score'][0]
    shoulders = kp[:,
                   [BODY_INDEX['left_shoulder'], BODY_INDEX['right_shoulder']]]
    ok = (score[:, [1, 2]] > 0).all(-1)
    centre = shoulders[ok].mean((0, 1))
    width = np.linalg.norm(shoulders[ok, 0] - shoulders[ok, 1], axis=-1)
    rel = (kp - centre) / width.mean()
    paths = []
    for wrist in (BODY_INDEX['left_wrist'], BODY_INDEX['right_wrist']):
        seen = np.flatnonzero(score[:, wrist] > 0)
        times = np.linspace(0, len(kp) - 1, 8)
        paths.append(
            np.stack(
                [np.interp(times, seen, rel[seen, wrist, d]) for d in (0, 1)],
                -1))
    travel = [np.abs(np.diff(p, axis=0)).sum() for p in paths]
    hands = [LEFT_HAND_SLICE, RIGHT_HAND_SLICE]
    if travel[0] > travel[1]:  # left-handed: mirror to a right-handed view
        paths = [paths[1] * [-1, 1], paths[0] * [-1, 1]]
        hands = hands[::-1]
    hand = kp[:, hands[1]]
    seen = (score[:, hands[1]] > 0).all(-1)
    tips = np.linalg.norm(
        hand[seen][:, [4, 8, 12, 16, 20]] - hand[seen][:, :1],
        axis=-1) / width.mean()
    return np.concatenate([
        paths[1].ravel(), paths[0].ravel(),
        tips.mean(0) if len(tips) else np.zeros(5)
    ])


def test_classes_are_separable_across_signers(content):
    by_dir = {a['frame_dir']: a for a in content['annotations']}
    feats, labels = {}, {}
    for split in ('train', 'test'):
        anns = [by_dir[f] for f in content['split'][split]]
        feats[split] = np.stack([wrist_features(a) for a in anns])
        labels[split] = np.array([a['label'] for a in anns])
    means = np.stack(
        [feats['train'][labels['train'] == c].mean(0) for c in range(10)])
    dist = np.linalg.norm(feats['test'][:, None] - means[None], axis=-1)
    accuracy = (dist.argmin(1) == labels['test']).mean()
    assert accuracy >= 0.5  # chance is 0.1


def test_left_handed_signers_are_mirrored():
    kwargs = dict(num_classes=4, signers=3, test_signers=1, reps=1)
    right = make_synthetic_signs(left_handed_ratio=0.0, **kwargs)
    left = make_synthetic_signs(left_handed_ratio=1.0, **kwargs)

    def more_active_wrist(ann):
        kp, score = ann['keypoint'][0], ann['keypoint_score'][0]
        travel = []
        for name in ('left_wrist', 'right_wrist'):
            seen = kp[score[:, BODY_INDEX[name]] > 0, BODY_INDEX[name]]
            travel.append(np.linalg.norm(np.diff(seen, axis=0), axis=-1).sum())
        return int(np.argmax(travel))

    assert [more_active_wrist(a) for a in right['annotations']].count(1) \
        >= 10
    assert [more_active_wrist(a) for a in left['annotations']].count(0) >= 10


def test_hand_skeleton_geometry():
    curl = np.array([[0.0] * 5, [1.0] * 5])
    hand = hand_skeleton(curl, np.zeros(2), np.zeros(2))
    assert hand.shape == (2, 21, 2)
    np.testing.assert_array_equal(hand[:, 0], 0)  # wrist at the origin
    tips = [4, 8, 12, 16, 20]
    open_len = np.linalg.norm(hand[0, tips], axis=-1)
    fist_len = np.linalg.norm(hand[1, tips], axis=-1)
    assert (hand[0, 5:21, 1] < 0).all()  # open fingers point up (-y)
    assert (fist_len[1:] < 0.7 * open_len[1:]).all()  # curled fingers fold
    assert np.argmax(open_len) == 2  # the middle finger is the longest
    assert hand[0, 4, 0] > 0 > hand[0, 20, 0]  # thumb +x, little -x


def test_invalid_counts():
    with pytest.raises(ValueError, match='0 <= test_signers < signers'):
        make_synthetic_signs(signers=2, test_signers=2)
    with pytest.raises(ValueError, match='reps=0'):
        make_synthetic_signs(reps=0)
    with pytest.raises(ValueError, match='num_frames must be >= 1, got 0'):
        make_synthetic_signs(num_frames=0)


def test_fixed_clip_length():
    # 2 classes x 2 signers x 2 repetitions = 8 clips of 37 frames each.
    data = make_synthetic_signs(
        num_classes=2, signers=2, test_signers=1, reps=2, num_frames=37)
    assert len(data['annotations']) == 8
    for ann in data['annotations']:
        assert ann['total_frames'] == 37
        assert ann['keypoint'].shape == (1, 37, 49, 2)
        assert ann['keypoint_score'].shape == (1, 37, 49)
    assert data['meta']['num_frames'] == 37
    drawn = make_synthetic_signs(
        num_classes=2, signers=2, test_signers=1, reps=2)
    assert drawn['meta']['num_frames'] is None
    assert all(20 <= a['total_frames'] <= 60 for a in drawn['annotations'])
