"""Tests of ISLRDataset: loading, validation, NaN handling, subsets."""
import pickle
from pathlib import Path

import numpy as np
import pytest

from mmaction.registry import DATASETS
from mmaction_masa.datasets import (AnnotationError, ISLRDataset,
                                    read_class_list)


def make_ann(frame_dir='clip_a',
             label=0,
             num_frames=4,
             num_joints=49,
             **extra):
    """A valid annotation with deterministic coordinates."""
    shape = (1, num_frames, num_joints)
    keypoint = np.arange(
        np.prod(shape) * 2, dtype=np.float32).reshape(shape + (2, ))
    ann = dict(
        frame_dir=frame_dir,
        label=label,
        img_shape=(480, 640),
        total_frames=num_frames,
        keypoint=keypoint,
        keypoint_score=np.full(shape, 0.5, np.float32))
    ann.update(extra)
    return ann


def write_pkl(path: Path, annotations, split=None) -> str:
    content = dict(annotations=annotations)
    if split is not None:
        content['split'] = split
    path.write_bytes(pickle.dumps(content))
    return str(path)


def build(ann_file, **kwargs) -> ISLRDataset:
    return ISLRDataset(ann_file=ann_file, pipeline=[], **kwargs)


def test_loads_valid_file_with_split(tmp_path):
    anns = [make_ann(f'c{i}', label=i % 3) for i in range(6)]
    ann_file = write_pkl(
        tmp_path / 'a.pkl', anns,
        dict(train=['c0', 'c1', 'c2', 'c3'], test=['c4', 'c5']))
    train = build(ann_file, split='train')
    test = build(ann_file, split='test', test_mode=True)
    assert len(train) == 4 and len(test) == 2
    assert train.num_classes == 3  # inferred from the whole file
    sample = test[1]
    assert sample['frame_dir'] == 'c5' and sample['label'] == 2
    assert sample['keypoint'].shape == (1, 4, 49, 2)
    assert sample['keypoint'].dtype == np.float32
    assert sample['keypoint_score'].shape == (1, 4, 49)
    assert sample['img_shape'] == (480, 640)
    assert sample['total_frames'] == 4 and sample['modality'] == 'Pose'
    np.testing.assert_array_equal(sample['keypoint'], anns[5]['keypoint'])
    assert len(build(ann_file)) == 6  # split=None: every annotation


def test_accepts_plain_list_133_joints_and_numpy_ints(tmp_path):
    ann = make_ann(num_joints=133, label=np.int64(2), total_frames=np.int32(4))
    del ann['img_shape']
    path = tmp_path / 'list.pkl'
    path.write_bytes(pickle.dumps([ann]))
    ds = build(str(path), num_classes=5)
    item = ds[0]
    assert item['keypoint'].shape == (1, 4, 133, 2)
    assert type(item['label']) is int and item['label'] == 2
    assert 'img_shape' not in item and ds.num_classes == 5


def test_registered_and_built_from_config(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann()])
    ds = DATASETS.build(
        dict(type='ISLRDataset', ann_file=ann_file, pipeline=[]))
    assert isinstance(ds, ISLRDataset) and len(ds) == 1


def test_nan_and_inf_become_missing_joints(tmp_path):
    ann = make_ann(num_frames=3)
    kp, score = ann['keypoint'].copy(), ann['keypoint_score'].copy()
    ann['keypoint'][0, 0, 5, 0] = np.nan
    ann['keypoint'][0, 1, 7, 1] = np.inf
    ann['keypoint'][0, 2, 9] = -np.inf
    ann['keypoint_score'][0, 2, 11] = np.nan
    item = build(write_pkl(tmp_path / 'a.pkl', [ann]))[0]
    missing = np.zeros((1, 3, 49), bool)
    missing[0, 0, 5] = missing[0, 1, 7] = missing[0, 2, 9] = True
    missing[0, 2, 11] = True
    assert np.isfinite(item['keypoint']).all()
    np.testing.assert_array_equal(item['keypoint'][missing], 0)
    np.testing.assert_array_equal(item['keypoint_score'][missing], 0)
    np.testing.assert_array_equal(item['keypoint'][~missing], kp[~missing])
    np.testing.assert_array_equal(item['keypoint_score'][~missing],
                                  score[~missing])


def _drop(key):

    def edit(ann):
        del ann[key]

    return edit


def _set(key, value):

    def edit(ann):
        ann[key] = value(ann) if callable(value) else value

    return edit


BAD_SAMPLES = {
    'missing_frame_dir_names_index':
    (_drop('frame_dir'), '#0', 'frame_dir', 'missing'),
    'missing_label': (_drop('label'), 'clip_a', 'label', 'missing'),
    'missing_keypoint': (_drop('keypoint'), 'clip_a', 'keypoint', 'missing'),
    'missing_score':
    (_drop('keypoint_score'), 'clip_a', 'keypoint_score', 'missing'),
    'missing_total_frames':
    (_drop('total_frames'), 'clip_a', 'total_frames', 'missing'),
    'v_17': (_set('keypoint', np.zeros(
        (1, 4, 17, 2), np.float32)), 'clip_a', 'keypoint', 'V=17'),
    'keypoint_ndim': (_set('keypoint', np.zeros(
        (4, 49, 2), np.float32)), 'clip_a', 'keypoint', '(M, T, V, 2)'),
    'keypoint_xyz': (_set('keypoint', np.zeros(
        (1, 4, 49, 3), np.float32)), 'clip_a', 'keypoint', '(M, T, V, 2)'),
    'keypoint_not_numeric': (_set('keypoint',
                                  'abc'), 'clip_a', 'keypoint', 'numeric'),
    'score_shape': (_set('keypoint_score', np.zeros(
        (1, 4, 48),
        np.float32)), 'clip_a', 'keypoint_score', 'does not match'),
    'score_ndim': (_set('keypoint_score', np.zeros(
        (1, 4, 49, 1))), 'clip_a', 'keypoint_score', 'does not match'),
    'total_frames_mismatch': (_set('total_frames',
                                   5), 'clip_a', 'total_frames', 'T=4'),
    'total_frames_float':
    (_set('total_frames', 4.0), 'clip_a', 'total_frames', 'got float 4.0'),
    'empty_clip': (lambda a: a.update(
        keypoint=np.zeros((1, 0, 49, 2)),
        keypoint_score=np.zeros((1, 0, 49)),
        total_frames=0), 'clip_a', 'keypoint', 'empty clip'),
    'no_person': (lambda a: a.update(
        keypoint=np.zeros((0, 4, 49, 2)), keypoint_score=np.zeros(
            (0, 4, 49))), 'clip_a', 'keypoint', 'empty clip'),
    'score_times_100':
    (_set('keypoint_score', lambda a: a['keypoint_score'] * 100), 'clip_a',
     'keypoint_score', '196 score(s) outside [0, 1.25] (min 50, max 50)'),
    'score_times_1_5': (_set(
        'keypoint_score',
        lambda a: np.linspace(0, 1.5, a['keypoint_score'].size).reshape(
            1, 4, 49)), 'clip_a', 'keypoint_score', 'outside [0, 1.25]'),
    'score_negative': (_set('keypoint_score', lambda a: -a['keypoint_score']),
                       'clip_a', 'keypoint_score', 'min -0.5'),
    'label_negative': (_set('label', -1), 'clip_a', 'label', 'allow_unl'),
    'label_float': (_set('label', 1.0), 'clip_a', 'label', 'class index'),
    'label_out_of_range': (_set('label', 10), 'clip_a', 'label', '[0, 10)'),
    'img_shape': (_set('img_shape', 'big'), 'clip_a', 'img_shape', '(h, w)'),
    'frame_dir_not_str': (_set('frame_dir', 7), '#0', 'frame_dir', 'str'),
}


@pytest.mark.parametrize(
    'edit,frame_dir,field,problem',
    list(BAD_SAMPLES.values()),
    ids=list(BAD_SAMPLES))
def test_bad_sample_names_file_sample_and_field(tmp_path, edit, frame_dir,
                                                field, problem):
    ann = make_ann()
    edit(ann)
    ann_file = write_pkl(tmp_path / 'bad.pkl', [ann])
    with pytest.raises(AnnotationError) as info:
        build(ann_file, num_classes=10)
    message = str(info.value)
    assert ann_file in message
    assert f"sample '{frame_dir}'" in message
    assert f"field '{field}'" in message
    assert problem in message


def test_bad_sample_after_good_ones_is_named(tmp_path):
    anns = [make_ann('ok0'), make_ann('ok1'), make_ann('broken')]
    anns[2]['total_frames'] = 99
    ann_file = write_pkl(tmp_path / 'a.pkl', anns)
    with pytest.raises(
            AnnotationError,
            match="sample 'broken', field "
            "'total_frames': 99 disagrees"):
        build(ann_file)


def test_sample_that_is_not_a_dict(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann(), [1, 2]])
    with pytest.raises(
            AnnotationError,
            match=r"sample '#1': annotation is "
            'a list, expected dict'):
        build(ann_file)


def test_missing_file(tmp_path):
    path = str(tmp_path / 'nope.pkl')
    with pytest.raises(FileNotFoundError, match='nope.pkl'):
        build(path)


@pytest.mark.parametrize(
    'content',
    [b'frame_dir,label\nclip,1\n', b'',
     pickle.dumps([make_ann()])[:-20]],
    ids=['text', 'empty', 'truncated'])
def test_not_a_pickle(tmp_path, content):
    path = tmp_path / 'corrupt.pkl'
    path.write_bytes(content)
    with pytest.raises(AnnotationError) as info:
        build(str(path))
    assert str(path) in str(info.value)
    assert 'not a readable pickle' in str(info.value)


@pytest.mark.parametrize('content,field,problem', [
    (dict(items=[]), 'annotations', "keys ['items']"),
    (42, 'annotations', 'got int'),
    (dict(annotations={'a': 1}), 'annotations', 'expected a list'),
    (dict(annotations=[]), 'annotations', 'no clips'),
    (dict(annotations=[make_ann()], split=['a']), 'split', 'dict of'),
])
def test_wrong_top_level_structure(tmp_path, content, field, problem):
    path = tmp_path / 'a.pkl'
    path.write_bytes(pickle.dumps(content))
    with pytest.raises(AnnotationError) as info:
        build(str(path))
    message = str(info.value)
    assert str(path) in message and f"field '{field}'" in message
    assert problem in message


def test_split_errors(tmp_path):
    no_split = write_pkl(tmp_path / 'a.pkl', [make_ann('c0')])
    with pytest.raises(AnnotationError, match='has no "split" dict'):
        build(no_split, split='train')
    ann_file = write_pkl(tmp_path / 'b.pkl', [make_ann('c0')],
                         dict(train=['c0', 'ghost']))
    with pytest.raises(
            AnnotationError, match=r"no split 'val'; available: "
            r"\['train'\]"):
        build(ann_file, split='val')
    with pytest.raises(
            AnnotationError,
            match=r"names 1 frame_dir\(s\) without an annotation, "
            r"e.g. \['ghost'\]"):
        build(ann_file, split='train')


def test_duplicate_frame_dir(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann('x'), make_ann('x')])
    with pytest.raises(
            AnnotationError, match="sample 'x', field 'frame_dir': duplicate"):
        build(ann_file)


def test_label_outside_label_space_is_error_even_with_subset(tmp_path):
    ann_file = write_pkl(
        tmp_path / 'a.pkl',
        [make_ann('c0', 1), make_ann('c1', 7)])
    with pytest.raises(AnnotationError) as info:
        build(ann_file, num_classes=5, subset=2)
    message = str(info.value)
    assert "sample 'c1', field 'label'" in message
    assert 'label 7 is outside the label space [0, 5)' in message


def test_subset_keeps_labels_below_k_and_logs_drop(tmp_path, log_messages):
    anns = [make_ann(f'c{i}', label=i) for i in range(6)]
    ann_file = write_pkl(tmp_path / 'a.pkl', anns,
                         dict(train=[f'c{i}' for i in range(6)]))
    ds = build(ann_file, split='train', subset=2, num_classes=6)
    assert [ds[i]['label'] for i in range(len(ds))] == [0, 1]
    assert ds.num_classes == 6  # labels are never remapped
    assert any('subset 2' in m and 'keeps 2 of 6 clips, dropped 4' in m
               for m in log_messages)


def test_subset_values(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann(label=2)])
    for bad in (0, -3, 'WLASL100', True, 2.5):
        with pytest.raises(ValueError, match='subset must be a positive int'):
            build(ann_file, subset=bad)
    with pytest.raises(ValueError, match='subset 9 exceeds the 3 classes'):
        build(ann_file, subset=9)


def test_unlabelled_clips(tmp_path, log_messages):
    anns = [make_ann('u', label=-1), make_ann('l', label=1)]
    ann_file = write_pkl(tmp_path / 'a.pkl', anns)
    ds = build(ann_file, allow_unlabelled=True)
    assert [ds[i]['label'] for i in range(2)] == [-1, 1]
    assert ds.num_classes == 2
    assert len(build(ann_file, allow_unlabelled=True, subset=2)) == 1
    assert any('dropped 1' in m for m in log_messages)
    with pytest.raises(AnnotationError, match='allow_unlabelled=True'):
        build(ann_file)


def test_class_names_from_gloss(tmp_path):
    anns = [
        make_ann('a', 0, gloss='book'),
        make_ann('b', 2, gloss='drink'),
        make_ann('c', 0, gloss='book')
    ]
    ds = build(write_pkl(tmp_path / 'a.pkl', anns), num_classes=4)
    assert ds.metainfo['classes'] == ('book', '1', 'drink', '3')
    anns[2]['gloss'] = 'chair'
    ann_file = write_pkl(tmp_path / 'b.pkl', anns)
    with pytest.raises(
            AnnotationError,
            match="sample 'c', field 'gloss': 'chair' differs "
            "from 'book'"):
        build(ann_file)


def test_class_list_sets_names_and_num_classes(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann(label=1, gloss='x')])
    plain = tmp_path / 'classes.txt'
    plain.write_text('book\ndrink\ncomputer\n\n')
    ds = build(ann_file, class_list=str(plain))
    assert ds.num_classes == 3
    assert ds.metainfo['classes'] == ('book', 'drink', 'computer')
    indexed = tmp_path / 'indexed.txt'
    indexed.write_text('0\tbook\n1\tdrink\n')
    assert read_class_list(str(indexed)) == ['book', 'drink']
    with pytest.raises(
            ValueError,
            match='3 class names, but the dataset '
            'has num_classes=5'):
        build(ann_file, class_list=str(plain), num_classes=5)
    user = build(ann_file, class_list=str(plain), metainfo=dict(classes='z'))
    assert user.metainfo['classes'] == 'z'  # explicit metainfo wins


def test_class_list_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.txt'):
        read_class_list(str(tmp_path / 'missing.txt'))
    gap = tmp_path / 'gap.txt'
    gap.write_text('book\n\ndrink\n')
    with pytest.raises(ValueError, match='gap.txt: line 2 is empty'):
        read_class_list(str(gap))


def test_scores_slightly_above_one_are_clipped_and_logged(
        tmp_path, log_messages):
    # RTMPose-WholeBody (SimCC) emits scores up to ~1.06.
    ann = make_ann('a')
    ann['keypoint_score'][0, 1, :3] = [1.06, 1.2, 1.0]
    ds = build(write_pkl(tmp_path / 'a.pkl', [ann, make_ann('b')]))
    score = ds[0]['keypoint_score']
    assert score.max() == 1.0
    np.testing.assert_array_equal(score[0, 1, :3], [1, 1, 1])
    assert any('clipped 2 joint score(s)' in m and 'in 1 clip(s)' in m
               for m in log_messages)


def test_clips_without_joints_are_counted_and_all_empty_is_error(
        tmp_path, log_messages):
    empty = [make_ann(f'e{i}') for i in range(2)]
    for ann in empty:
        ann['keypoint_score'][:] = 0
    nan = make_ann('n')
    nan['keypoint'][:] = np.nan
    ann_file = write_pkl(tmp_path / 'a.pkl', empty + [nan, make_ann('ok')],
                         dict(train=['e0', 'e1', 'n', 'ok'], bad=['e0', 'n']))
    assert len(build(ann_file, split='train')) == 4
    assert any("3 of 4 clip(s) have no detected joint" in m
               and "['e0', 'e1', 'n']" in m for m in log_messages)
    with pytest.raises(AnnotationError) as info:
        build(ann_file, split='bad')
    assert "sample 'e0', field 'keypoint_score'" in str(info.value)
    assert "all 2 clip(s) of split 'bad' have no detected joint" in str(
        info.value)


def test_empty_split_and_empty_subset_are_errors(tmp_path):
    ann_file = write_pkl(tmp_path / 'a.pkl', [make_ann('c0', label=3)],
                         dict(train=['c0'], test=[]))
    with pytest.raises(
            AnnotationError,
            match=r"a.pkl, field 'split': split 'test' lists no "
            'clips'):
        build(ann_file, split='test')
    with pytest.raises(
            AnnotationError,
            match=r"field 'label': subset 2 keeps none of the 1 "):
        build(ann_file, split='train', subset=2)
