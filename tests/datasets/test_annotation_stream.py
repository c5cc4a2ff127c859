"""AnnotationStream: the clips of a pickle one at a time, bounded memory."""
import os
import pickle
import tracemalloc

import numpy as np
import pytest

from mmaction_masa.datasets.annotation_stream import (AnnotationStream,
                                                      iter_annotations)
from mmaction_masa.datasets.validation import (AnnotationError,
                                               load_annotation_file)


def _clips(count, frames=8, seed=0):
    rng = np.random.default_rng(seed)
    shape = (480, 640)  # one object shared by every clip, as converters do
    return [
        dict(
            frame_dir=f'clip{i}',
            label=i % 3,
            img_shape=shape,
            total_frames=frames,
            keypoint=rng.random((1, frames, 49, 2)).astype(np.float32),
            keypoint_score=rng.random((1, frames, 49)).astype(np.float32))
        for i in range(count)
    ]


def _write(path, content):
    with open(path, 'wb') as file:
        pickle.dump(content, file, protocol=4)
    return str(path)


def _same(streamed, expected):
    assert len(streamed) == len(expected)
    for a, b in zip(streamed, expected):
        assert a['frame_dir'] == b['frame_dir'] and a['label'] == b['label']
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
        np.testing.assert_array_equal(a['keypoint_score'], b['keypoint_score'])
        assert tuple(a['img_shape']) == (480, 640)


@pytest.mark.parametrize('layout',
                         ['list', 'one_key', 'split_first', 'split_last'])
def test_stream_equals_full_load(tmp_path, layout):
    clips = _clips(2500)  # three APPENDS batches of the pickler
    split = dict(
        train=[c['frame_dir'] for c in clips[:2000]],
        test=[c['frame_dir'] for c in clips[2000:]])
    content = dict(
        list=clips,
        one_key=dict(annotations=clips),
        split_first=dict(split=split, annotations=clips),
        split_last=dict(
            annotations=clips, split=split, glosses=['a', 'b', 'c']))[layout]
    path = _write(tmp_path / 'a.pkl', content)
    stream = AnnotationStream(path)
    streamed = list(stream)
    assert stream.streamed
    _same(streamed, load_annotation_file(path)[0])
    if layout.startswith('split'):
        assert stream.split == split
    if layout == 'split_last':
        assert stream.extra == dict(glosses=['a', 'b', 'c'])
    assert [i for i, _ in iter_annotations(path)] == list(range(2500))


def test_shared_array_falls_back_to_full_read(tmp_path):
    clips = _clips(1200)
    clips[1100]['keypoint'] = clips[3]['keypoint']  # refers to clip 3
    path = _write(tmp_path / 'shared.pkl', dict(annotations=clips))
    _same(list(AnnotationStream(path)), clips)


def test_stream_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(AnnotationStream(str(tmp_path / 'missing.pkl')))
    empty = _write(tmp_path / 'empty.pkl', dict(annotations=[]))
    with pytest.raises(AnnotationError, match='no clips'):
        list(AnnotationStream(empty))
    payload = _write(tmp_path / 'payload.pkl',
                     dict(annotations=[dict(frame_dir=os.getcwd)]))
    with pytest.raises(AnnotationError, match="global 'posix.getcwd'"):
        list(AnnotationStream(payload))
    broken = tmp_path / 'broken.pkl'
    broken.write_bytes(
        open(_write(tmp_path / 'ok.pkl', _clips(5)), 'rb').read()[:5000])
    with pytest.raises(AnnotationError, match='not a readable pickle'):
        list(AnnotationStream(str(broken)))


def _peak_bytes(path):
    """Peak Python allocation while streaming every clip (deterministic,
    unaffected by other processes, unlike RSS)."""
    tracemalloc.start()
    try:
        for _ in AnnotationStream(path):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_stream_memory_does_not_grow_with_clips(tmp_path):
    small = _write(tmp_path / 'small.pkl', dict(annotations=_clips(2000)))
    large = _write(tmp_path / 'large.pkl', dict(annotations=_clips(8000)))
    clip_bytes = 49 * 8 * 3 * 4
    small_peak, large_peak = _peak_bytes(small), _peak_bytes(large)
    # At most one pickler batch (1,000 clips) is alive at a time: four
    # times the clips cost less than 1,000 more clips' worth, and far less
    # than the large file itself (8,000 clips).
    assert large_peak - small_peak < 1000 * clip_bytes
    assert large_peak < 0.5 * os.path.getsize(large)
