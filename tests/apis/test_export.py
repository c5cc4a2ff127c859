"""mmaction_masa.apis.export: backbone extraction, the export model and
the ONNX graph (dynamic axes, reference preprocessing)."""
import json
from importlib.util import find_spec
from typing import NamedTuple

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmaction.structures import ActionDataSample
from mmaction_masa.apis import (build_test_pipeline, load_recognizer,
                                predict_scores)
from mmaction_masa.apis.export import (ONNX_INPUT_AXES, ScoreModel,
                                       backbone_state_dict, check_onnx,
                                       checkpoint_config, export_onnx,
                                       joint_layout, onnx_check_shapes,
                                       onnx_example, onnx_inputs,
                                       pipeline_clip_len)
from mmaction_masa.apis.inference import load_annotation_clips

needs_onnx = pytest.mark.skipif(
    any(find_spec(m) is None for m in ('onnx', 'onnxruntime', 'onnxscript')),
    reason='ONNX export needs onnx, onnxruntime and onnxscript '
    '(tools/setup_env.sh installs them)')


def test_backbone_state_dict_strips_prefix_only_at_start():
    state = {
        'backbone.a.weight': torch.ones(2),
        'momentum_encoder.backbone.a.weight': torch.zeros(2),
        'cls_head.fc.weight': torch.zeros(1)
    }
    found = backbone_state_dict(dict(state_dict=state))
    assert list(found) == ['a.weight']
    assert torch.equal(found['a.weight'], torch.ones(2))
    assert found['a.weight'].data_ptr() != state['backbone.a.weight'].data_ptr(
    )
    with pytest.raises(KeyError, match="no 'backbone.' keys"):
        backbone_state_dict({'head.w': torch.zeros(1)})


def test_joint_layout_is_plain():
    layout = joint_layout()
    assert layout['num_joints'] == 49
    assert layout['parts'] == dict(
        body=[0, 7], left_hand=[7, 28], right_hand=[28, 49])
    assert layout['coco_wholebody_indices'][:7] == [0, 5, 6, 7, 8, 9, 10]


def test_checkpoint_config_from_meta(tiny_config):
    text = tiny_config.read_text()
    cfg = checkpoint_config(dict(meta=dict(cfg=text)))
    assert cfg.model.backbone.type == 'MASABackbone'
    assert checkpoint_config(dict(state_dict={})) is None
    assert pipeline_clip_len(cfg) == 16
    assert pipeline_clip_len(
        Config(
            dict(
                test_dataloader=dict(
                    dataset=dict(pipeline=[dict(
                        type='PackSignInputs')]))))) == 32


def test_score_model_matches_predict(tiny_model):
    model, _ = tiny_model
    inputs = torch.rand(2, 1, 1, 16, 49, 3) * 2 - 1
    with torch.no_grad():
        scores = ScoreModel(model)(inputs)
        predicted = model(
            inputs, [ActionDataSample() for _ in range(2)], mode='predict')
    assert scores.shape == (2, 25)
    torch.testing.assert_close(scores,
                               torch.stack([p.pred_score for p in predicted]))
    torch.testing.assert_close(scores.sum(1), torch.ones(2))


class ExportedTiny(NamedTuple):
    """The tiny recognizer exported once for the module."""

    model: torch.nn.Module
    cfg: Config
    onnx_file: str
    example: torch.Tensor


@pytest.fixture(scope='module')
def exported_tiny(tiny_config, tmp_path_factory) -> ExportedTiny:
    """The tiny recognizer (initialised, untrained; ``max_frames=64``)
    exported at batch 3, T 64 (about 25 s)."""
    torch.manual_seed(0)
    model, cfg, _ = load_recognizer(tiny_config)
    model.init_weights()
    onnx_file = str(tmp_path_factory.mktemp('onnx') / 'tiny.onnx')
    example = export_onnx(model, onnx_file, num_frames=64, batch_size=3)
    return ExportedTiny(model, cfg, onnx_file, example)


def test_onnx_check_shapes_change_every_dynamic_axis():
    assert onnx_check_shapes(64) == ((3, 1, 1, 64, 49, 3), (5, 2, 2, 33, 49,
                                                            3))
    example = onnx_example(3, 64)
    assert example.shape == (3, 1, 1, 64, 49, 3)
    assert example[..., :2].abs().max() <= 128
    assert 0 <= example[..., 2].min() and example[..., 2].max() <= 1
    assert torch.equal(example, onnx_example(3, 64))


@needs_onnx
def test_onnx_graph_has_dynamic_axes_and_matches_pytorch(exported_tiny):
    import onnx
    model = onnx.load(exported_tiny.onnx_file)
    (graph_input, ) = model.graph.input
    dims = [(d.dim_param, d.dim_value)
            for d in graph_input.type.tensor_type.shape.dim]
    assert dims == [(name, 0) for name in ONNX_INPUT_AXES] + [('', 49),
                                                              ('', 3)]
    assert ONNX_INPUT_AXES == ('batch', 'clips', 'persons', 'frames')
    (graph_output, ) = model.graph.output
    assert [(d.dim_param, d.dim_value)
            for d in graph_output.type.tensor_type.shape.dim] == [('batch', 0),
                                                                  ('', 25)]
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta['num_classes'] == '25'
    assert json.loads(meta['joint_layout']) == joint_layout()
    assert 'onnx_inputs' in meta['inputs']
    assert exported_tiny.example.shape == (3, 1, 1, 64, 49, 3)
    assert check_onnx(exported_tiny.model, exported_tiny.onnx_file,
                      exported_tiny.example) < 1e-5
    # every dynamic axis away from the export shapes, T = 1 and T = max
    for shape in [(5, 2, 2, 33), (1, 1, 1, 1), (2, 1, 3, 64)]:
        inputs = onnx_example(shape[0], shape[3], shape[1], shape[2], seed=1)
        assert check_onnx(exported_tiny.model, exported_tiny.onnx_file,
                          inputs) < 1e-5, shape


@needs_onnx
def test_onnx_on_reference_preprocessing_matches_predict(
        exported_tiny, shared_data):
    """Real clips through :func:`onnx_inputs` (the test pipeline) and the
    graph give the recognizer's ``pred_score`` of the inference API."""
    import onnxruntime
    clips = load_annotation_clips(shared_data / 'real' / 'wlasl50_dev.pkl',
                                  'test')[:3]
    pipeline = build_test_pipeline(exported_tiny.cfg)
    inputs = onnx_inputs(pipeline, clips)
    assert inputs.shape == (3, 1, 1, 16, 49, 3) and inputs.dtype == np.float32
    assert np.abs(inputs[..., :2]).max() <= 128
    session = onnxruntime.InferenceSession(
        exported_tiny.onnx_file, providers=['CPUExecutionProvider'])
    (scores, ) = session.run(None, {'inputs': inputs})
    expected = predict_scores(exported_tiny.model, pipeline, clips)
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-5)
    np.testing.assert_allclose(scores.sum(1), np.ones(3), atol=1e-5)


def test_onnx_inputs_refuses_mixed_shapes(tiny_config, shared_data):
    cfg = Config.fromfile(tiny_config)
    clips = load_annotation_clips(shared_data / 'real' / 'wlasl50_dev.pkl',
                                  'test')[:2]
    two_persons = dict(
        clips[1],
        keypoint=np.concatenate([clips[1]['keypoint']] * 2),
        keypoint_score=np.concatenate([clips[1]['keypoint_score']] * 2))
    with pytest.raises(ValueError, match='pack to different shapes'):
        onnx_inputs(build_test_pipeline(cfg), [clips[0], two_persons])
