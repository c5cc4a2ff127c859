"""Streaming inference: clips drawn lazily, results written one by one."""
import json

import numpy as np
import pytest

from benchmarks.inference_memory import tiny_config
from mmaction_masa.apis import inference
from mmaction_masa.apis.inference import PredictionWriter

build_test_pipeline = inference.build_test_pipeline
iter_annotation_clips = inference.iter_annotation_clips
iter_batches = inference.iter_batches
iter_clips = inference.iter_clips
iter_predictions = inference.iter_predictions
load_annotation_clips = inference.load_annotation_clips
load_clips = inference.load_clips
load_recognizer = inference.load_recognizer
model_num_classes = inference.model_num_classes
predict_scores = inference.predict_scores
topk_predictions = inference.topk_predictions

WLASL = 'real/wlasl50_dev.pkl'


@pytest.fixture(scope='module')
def tiny():
    model, cfg, _ = load_recognizer(tiny_config(25))
    return model, build_test_pipeline(cfg)


def test_iter_annotation_clips_equal_full_load(shared_data):
    path = shared_data / WLASL
    streamed, full = list(iter_annotation_clips(path)), \
        load_annotation_clips(path)
    assert len(streamed) == len(full) == 212
    for a, b in zip(streamed, full):
        assert a.keys() == b.keys() and a['frame_dir'] == b['frame_dir']
        np.testing.assert_array_equal(a['keypoint'], b['keypoint'])


def test_iter_predictions_is_lazy_and_matches(tiny, shared_data):
    model, pipeline = tiny
    drawn = []

    def clips():
        for clip in iter_clips([shared_data / WLASL]):
            drawn.append(clip['frame_dir'])
            yield clip

    names = [f'c{i}' for i in range(model_num_classes(model))]
    results = []
    for result in iter_predictions(
            model, pipeline, clips(), names, batch_size=8, k=3):
        results.append(result)
        # never more than one batch drawn ahead of the results
        assert len(drawn) - len(results) < 8
    full = load_clips([shared_data / WLASL])
    expected = topk_predictions(
        predict_scores(model, pipeline, full, 8), full, names, 3)
    assert [r['frame_dir']
            for r in results] == [r['frame_dir'] for r in expected]
    assert [[p['label'] for p in r['topk']] for r in results
            ] == [[p['label'] for p in r['topk']] for r in expected]
    with pytest.raises(ValueError, match='2 class names'):
        next(iter_predictions(model, pipeline, iter(full), ['a', 'b']))


def test_iter_batches_of_an_iterator():
    assert [list(b) for b in iter_batches(iter(range(5)), 2)] == [[0, 1],
                                                                  [2, 3], [4]]
    with pytest.raises(ValueError, match='batch size must be >= 1'):
        next(iter_batches([1], 0))


@pytest.mark.parametrize('suffix', ['.json', '.jsonl'])
def test_prediction_writer_is_incremental(tmp_path, suffix):
    path = tmp_path / f'out{suffix}'
    with PredictionWriter(path) as writer:
        for i in range(3):
            writer.write(dict(frame_dir=f'c{i}'))
            # each result is on disk as soon as it is written
            assert path.read_text().count('"frame_dir"') == i + 1
    text = path.read_text()
    if suffix == '.json':
        rows = json.loads(text)
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    assert rows == [dict(frame_dir=f'c{i}') for i in range(3)]
    with pytest.raises(ValueError, match='must end with one of'):
        PredictionWriter(tmp_path / 'out.csv')
