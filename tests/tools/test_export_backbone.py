"""tools/export_backbone.py: plain backbone file and ONNX export."""
from importlib.util import find_spec

import pytest
import torch

from mmaction.registry import MODELS
from mmaction_masa.sign_layout import COCO_WHOLEBODY_INDICES
from .conftest import EMBED_DIMS, call_script


def test_export_loads_safely_and_into_backbone(trained_recognizer, repo_root,
                                               tmp_path):
    out = tmp_path / 'backbone.pth'
    assert call_script(repo_root, 'export_backbone.py',
                       trained_recognizer.checkpoint, out) == 0
    exported = torch.load(out, weights_only=True)
    full = torch.load(trained_recognizer.checkpoint, weights_only=False)
    expected = {
        k[len('backbone.'):]: v
        for k, v in full['state_dict'].items() if k.startswith('backbone.')
    }
    assert set(exported['state_dict']) == set(expected)
    for key, value in expected.items():
        assert torch.equal(exported['state_dict'][key], value), key
    meta = exported['meta']
    assert meta['backbone_cfg']['type'] == 'MASABackbone'
    assert meta['backbone_cfg']['embed_dims'] == EMBED_DIMS
    assert meta['joint_layout']['coco_wholebody_indices'] == list(
        COCO_WHOLEBODY_INDICES)
    cfg = dict(
        meta['backbone_cfg'],
        init_cfg=dict(type='Pretrained', checkpoint=str(out)))
    backbone = MODELS.build(cfg)
    backbone.init_weights()
    for key, value in backbone.state_dict().items():
        assert torch.equal(value, expected[key]), key


@pytest.mark.skipif(
    any(find_spec(m) is None for m in ('onnx', 'onnxruntime', 'onnxscript')),
    reason='ONNX export needs onnx, onnxruntime and onnxscript '
    '(tools/setup_env.sh installs them)')
def test_export_onnx_matches_pytorch(trained_recognizer, repo_root, tmp_path,
                                     capsys):
    onnx_file = tmp_path / 'recognizer.onnx'
    status = call_script(repo_root, 'export_backbone.py',
                         trained_recognizer.checkpoint,
                         tmp_path / 'backbone.pth', '--onnx', onnx_file)
    assert status == 0
    printed = capsys.readouterr().out
    # the example (batch 3, the test clip_len 16) and every axis changed
    for shape in ['(3, 1, 1, 16, 49, 3)', '(5, 2, 2, 9, 49, 3)']:
        line = printed.split(f'PyTorch at {shape}: ', 1)[1]
        assert float(line.split()[0]) < 1e-5, printed
    import onnx
    graph = onnx.load(str(onnx_file)).graph
    dims = [(d.dim_param or d.dim_value)
            for d in graph.input[0].type.tensor_type.shape.dim]
    assert dims == ['batch', 'clips', 'persons', 'frames', 49, 3]
