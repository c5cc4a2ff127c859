"""PackSignInputs, and the whole pre-training pipeline on a real clip."""
import numpy as np
import pytest
import torch
from mmengine.dataset import Compose, default_collate

from mmaction.registry import TRANSFORMS
from mmaction.structures import ActionDataSample
from mmaction_masa.datasets.transforms import PackSignInputs, formatting

MASA_KEYS = ('motion_mask', 'motion_target', 'motion_weight', 'joint_weight',
             'view2')


def pose_sample(num_person: int = 2, num_frames: int = 6, num_joints: int = 4):
    """Coordinates and scores that encode (person, frame, joint)."""
    shape = (num_person, num_frames, num_joints)
    code = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    keypoint = np.stack([code, -code], axis=-1)
    return dict(
        frame_dir='thanks_4',
        label=11,
        img_shape=(1, 1),
        total_frames=num_frames,
        keypoint=keypoint,
        keypoint_score=code / 1000)


def test_inputs_are_xy_and_score():
    sample = pose_sample()
    packed = PackSignInputs()(sample)
    inputs = packed['inputs']
    assert isinstance(inputs, torch.Tensor)
    assert inputs.shape == (1, 2, 6, 4, 3) and inputs.dtype == torch.float32
    np.testing.assert_array_equal(inputs[0, ..., :2], sample['keypoint'])
    np.testing.assert_array_equal(inputs[0, ..., 2], sample['keypoint_score'])
    assert inputs.is_contiguous()


def test_several_clips_are_split_along_time():
    sample = pose_sample(num_frames=6)
    sample['num_clips'] = 3
    inputs = PackSignInputs()(sample)['inputs']
    assert inputs.shape == (3, 2, 2, 4, 3)
    for clip in range(3):
        np.testing.assert_array_equal(
            inputs[clip, ..., :2], sample['keypoint'][:,
                                                      2 * clip:2 * clip + 2])
    sample['num_clips'] = 4
    with pytest.raises(ValueError, match="'thanks_4'.*6 frames.*num_clips=4"):
        PackSignInputs()(sample)


def test_label_and_metainfo():
    packed = PackSignInputs()(pose_sample())
    data_sample = packed['data_samples']
    assert isinstance(data_sample, ActionDataSample)
    assert data_sample.gt_label.tolist() == [11]
    assert data_sample.metainfo == dict(
        frame_dir='thanks_4', img_shape=(1, 1), label=11, total_frames=6)
    unlabelled = pose_sample()
    del unlabelled['label'], unlabelled['img_shape']
    data_sample = PackSignInputs(
        meta_keys=('frame_dir', 'clip_len'))(unlabelled)['data_samples']
    assert 'gt_label' not in data_sample
    assert data_sample.metainfo == dict(frame_dir='thanks_4')


def test_algorithm_keys_become_tensor_fields():
    sample = pose_sample(num_frames=6)
    sample['motion_mask'] = np.array([0, 1, 0, 1, 1, 0], dtype=bool)
    sample['motion_target'] = np.ones((6, 4, 2), np.float32)
    sample['motion_weight'] = np.full((6, 4), 0.5, np.float32)
    sample['joint_weight'] = np.zeros((6, 4), np.float32)
    sample['view2_keypoint'] = sample['keypoint'][:, [1, 4, 5]]
    sample['view2_keypoint_score'] = sample['keypoint_score'][:, [1, 4, 5]]
    transform = TRANSFORMS.build(
        dict(type='PackSignInputs', algorithm_keys=MASA_KEYS))
    data_sample = transform(sample)['data_samples']
    assert data_sample.motion_mask.dtype == torch.bool
    assert data_sample.motion_mask.tolist() == [0, 1, 0, 1, 1, 0]
    assert data_sample.motion_target.shape == (6, 4, 2)
    np.testing.assert_array_equal(data_sample.motion_weight, 0.5)
    assert data_sample.joint_weight.shape == (6, 4)
    view2 = data_sample.view2
    assert view2.shape == (1, 2, 3, 4, 3) and view2.dtype == torch.float32
    np.testing.assert_array_equal(view2[0, ..., :2], sample['view2_keypoint'])
    np.testing.assert_array_equal(view2[0, ..., 2],
                                  sample['view2_keypoint_score'])
    assert repr(transform) == (
        f'PackSignInputs(algorithm_keys={MASA_KEYS}, '
        "meta_keys=('frame_dir', 'img_shape', 'label', 'total_frames'))")


@pytest.mark.parametrize('missing,field', [
    ('motion_weight', 'motion_weight'),
    ('view2_keypoint', 'view2_keypoint'),
    ('view2_keypoint_score', 'view2_keypoint_score'),
])
def test_missing_field_is_named(missing, field):
    sample = pose_sample()
    sample.update(
        motion_weight=np.zeros((6, 4), np.float32),
        view2_keypoint=sample['keypoint'][:, :3],
        view2_keypoint_score=sample['keypoint_score'][:, :3])
    del sample[missing]
    with pytest.raises(KeyError, match=f"'thanks_4'.*'{field}'"):
        PackSignInputs(algorithm_keys=('motion_weight', 'view2'))(sample)


def test_bad_pose_shapes_are_named():
    sample = pose_sample()
    sample['keypoint_score'] = sample['keypoint_score'][..., :3]
    with pytest.raises(ValueError, match="'thanks_4'.*'keypoint_score'"):
        PackSignInputs()(sample)


PRETRAIN = [
    dict(type='SelectSignJoints'),
    dict(type='PartNormalize'),
    dict(type='SignSampleFrames', clip_len=32),
    dict(
        type='MotionAwareMask',
        interval=3,
        conf_thr=0.4,
        motion_thr=5.0,
        ratio_thr=0.5,
        mask_ratio=0.9,
        strategy='motion'),
    dict(type='RandomTemporalSample', drop_ratio=0.5),
    dict(type='PackSignInputs', algorithm_keys=MASA_KEYS),
]


def test_pretraining_pipeline_on_real_clips(wlasl_dev):
    pipeline = Compose([TRANSFORMS.build(cfg) for cfg in PRETRAIN])
    anns = {ann['frame_dir']: ann for ann in wlasl_dev['annotations']}
    names = wlasl_dev['split']['train'][:2]
    np.random.seed(0)
    packed = [pipeline(dict(anns[name])) for name in names]
    for name, item in zip(names, packed):
        assert set(item) == {'inputs', 'data_samples'}
        inputs, data_sample = item['inputs'], item['data_samples']
        assert inputs.shape == (1, 1, 32, 49, 3)
        assert inputs.dtype == torch.float32
        assert inputs[..., :2].abs().max() <= 128
        assert ((inputs[..., 2] >= 0) & (inputs[..., 2] <= 1)).all()
        assert data_sample.gt_label.tolist() == [anns[name]['label']]
        assert data_sample.metainfo['frame_dir'] == name
        assert data_sample.metainfo['total_frames'] == 32
        expected = dict(
            motion_mask=((32, ), torch.bool),
            motion_target=((32, 49, 2), torch.float32),
            motion_weight=((32, 49), torch.float32),
            joint_weight=((32, 49), torch.float32),
            view2=((1, 1, 16, 49, 3), torch.float32))
        for key, (shape, dtype) in expected.items():
            value = data_sample.get(key)
            assert value.shape == shape and value.dtype == dtype, key
        assert 1 <= int(data_sample.motion_mask.sum()) <= 31
        # the second view is a subset of the packed clip's frames
        clip = inputs[0, 0].reshape(32, -1)
        view = data_sample.view2[0, 0].reshape(16, -1)
        assert (view[:, None] == clip[None]).all(-1).any(-1).all()
    batch = default_collate(packed)
    assert batch['inputs'].shape == (2, 1, 1, 32, 49, 3)


def test_testing_pipeline_on_a_real_clip(wlasl_dev):
    pipeline = Compose([
        TRANSFORMS.build(cfg)
        for cfg in (dict(type='SelectSignJoints'), dict(type='PartNormalize'),
                    dict(type='SignSampleFrames', clip_len=32, test_mode=True),
                    dict(type='PackSignInputs'))
    ])
    ann = wlasl_dev['annotations'][-1]
    first, second = pipeline(dict(ann)), pipeline(dict(ann))
    assert first['inputs'].shape == (1, 1, 32, 49, 3)
    assert torch.equal(first['inputs'], second['inputs'])


def test_no_loop_over_frames_or_joints(loop_sources):
    assert loop_sources(formatting) == [
        'self.algorithm_keys', 'self.meta_keys'
    ]
