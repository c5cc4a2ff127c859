"""SelectSignJoints: 133 COCO-WholeBody keypoints -> the 49 sign joints."""
import numpy as np
import pytest

from mmaction.registry import TRANSFORMS
from mmaction_masa.datasets.transforms import SelectSignJoints, sign_joints
from mmaction_masa.sign_layout import (COCO_WHOLEBODY_INDICES, LEFT_HAND_SLICE,
                                       RIGHT_HAND_SLICE,
                                       load_wholebody_metainfo,
                                       sign_joint_names)


def indexed_pose(num_joints: int, num_person: int = 2, num_frames: int = 3):
    """A sample whose joint ``v`` has x = v, y = 1000 + v and score v."""
    joint = np.arange(num_joints, dtype=np.float64)
    keypoint = np.broadcast_to(
        np.stack([joint, 1000 + joint], -1),
        (num_person, num_frames, num_joints, 2)).copy()
    score = np.broadcast_to(joint, (num_person, num_frames, num_joints))
    return dict(
        frame_dir='clip_7', keypoint=keypoint, keypoint_score=score.copy())


def test_wholebody_to_sign_joints():
    results = SelectSignJoints()(indexed_pose(133))
    keypoint, score = results['keypoint'], results['keypoint_score']
    assert keypoint.shape == (2, 3, 49, 2) and score.shape == (2, 3, 49)
    assert keypoint.dtype == score.dtype == np.float32
    assert keypoint.flags['C_CONTIGUOUS'] and score.flags['C_CONTIGUOUS']
    expected = np.array(COCO_WHOLEBODY_INDICES, dtype=np.float32)
    assert expected[:7].tolist() == [0, 5, 6, 7, 8, 9, 10]
    np.testing.assert_array_equal(expected[7:], np.arange(91, 133))
    np.testing.assert_array_equal(keypoint[..., 0],
                                  np.broadcast_to(expected, (2, 3, 49)))
    np.testing.assert_array_equal(keypoint[..., 1], 1000 + keypoint[..., 0])
    np.testing.assert_array_equal(score, keypoint[..., 0])


def test_selected_joints_carry_mmpose_names():
    """Joint j of the output is the COCO-WholeBody joint named j-th."""
    info = load_wholebody_metainfo()['keypoint_info']
    assert len(info) == 133
    results = SelectSignJoints()(indexed_pose(133, 1, 1))
    picked = results['keypoint'][0, 0, :, 0].astype(int)
    names = [info[int(i)]['name'] for i in picked]
    assert names == sign_joint_names()
    assert names[:7] == [
        'nose', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
        'left_wrist', 'right_wrist'
    ]
    left, right = names[LEFT_HAND_SLICE], names[RIGHT_HAND_SLICE]
    assert left[0] == 'left_hand_root' and right[0] == 'right_hand_root'
    assert all(n.startswith('left_') for n in left)
    assert all(n.startswith('right_') for n in right)
    assert [n[len('left_'):]
            for n in left] == [n[len('right_'):] for n in right]


def test_sign_layout_passes_through():
    sample = indexed_pose(49)
    keypoint = sample['keypoint'].copy()
    results = SelectSignJoints()(sample)
    assert results['keypoint'].dtype == np.float32
    np.testing.assert_array_equal(results['keypoint'], keypoint)
    np.testing.assert_array_equal(results['keypoint_score'][0, 0],
                                  np.arange(49))


@pytest.mark.parametrize('num_joints', [17, 48, 50, 132, 134])
def test_other_joint_counts_are_rejected(num_joints):
    with pytest.raises(
            ValueError,
            match=rf"'clip_7'.*'keypoint'.*"
            rf'{num_joints} joints.*49.*133'):
        SelectSignJoints()(indexed_pose(num_joints))


def test_bad_fields_name_sample_and_field():
    sample = indexed_pose(133)
    sample['keypoint_score'] = sample['keypoint_score'][:, :2]
    with pytest.raises(ValueError, match="'clip_7'.*'keypoint_score'"):
        SelectSignJoints()(sample)
    sample = indexed_pose(133)
    del sample['keypoint_score']
    with pytest.raises(KeyError, match="'clip_7'.*'keypoint_score'"):
        SelectSignJoints()(sample)
    sample = indexed_pose(133)
    sample['keypoint'] = sample['keypoint'][..., :1]
    with pytest.raises(ValueError, match=r"'clip_7'.*'keypoint'.*\(M, T, V"):
        SelectSignJoints()(sample)


def test_real_mmpose_wholebody(wholebody_2signs):
    transform = TRANSFORMS.build(dict(type='SelectSignJoints'))
    assert repr(transform) == 'SelectSignJoints()'
    for ann in wholebody_2signs['annotations']:
        raw, raw_score = ann['keypoint'], ann['keypoint_score']
        results = transform(dict(ann))
        num_person, num_frames = raw.shape[:2]
        assert results['keypoint'].shape == (num_person, num_frames, 49, 2)
        index = list(COCO_WHOLEBODY_INDICES)
        np.testing.assert_array_equal(results['keypoint'], raw[:, :, index])
        np.testing.assert_array_equal(results['keypoint_score'],
                                      raw_score[:, :, index])
        # Each hand root sits on the body wrist of its own side (pixels),
        # far from the other wrist: the sides are not swapped.
        kp = results['keypoint'][0]
        own = [
            np.median(np.linalg.norm(kp[:, 5] - kp[:, 7], axis=-1)),
            np.median(np.linalg.norm(kp[:, 6] - kp[:, 28], axis=-1))
        ]
        crossed = np.median(np.linalg.norm(kp[:, 5] - kp[:, 28], axis=-1))
        assert max(own) < 10 < 50 < crossed, (ann['frame_dir'], own, crossed)


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(sign_joints) == []
