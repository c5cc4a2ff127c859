"""mmaction_masa.apis.export: backbone extraction and the export model."""
import pytest
import torch
from mmengine.config import Config

from mmaction.structures import ActionDataSample

from mmaction_masa.apis.export import (ScoreModel, backbone_state_dict,
                                       checkpoint_config, joint_layout,
                                       pipeline_clip_len)


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
    assert layout['parts'] == dict(body=[0, 7],
                                   left_hand=[7, 28],
                                   right_hand=[28, 49])
    assert layout['coco_wholebody_indices'][:7] == [0, 5, 6, 7, 8, 9, 10]


def test_checkpoint_config_from_meta(tiny_config):
    text = tiny_config.read_text()
    cfg = checkpoint_config(dict(meta=dict(cfg=text)))
    assert cfg.model.backbone.type == 'MASABackbone'
    assert checkpoint_config(dict(state_dict={})) is None
    assert pipeline_clip_len(cfg) == 16
    assert pipeline_clip_len(
        Config(
            dict(test_dataloader=dict(dataset=dict(
                pipeline=[dict(type='PackSignInputs')]))))) == 32


def test_score_model_matches_predict(tiny_model):
    model, _ = tiny_model
    inputs = torch.rand(2, 1, 1, 16, 49, 3) * 2 - 1
    with torch.no_grad():
        scores = ScoreModel(model)(inputs)
        predicted = model(inputs, [ActionDataSample() for _ in range(2)],
                          mode='predict')
    assert scores.shape == (2, 25)
    torch.testing.assert_close(scores,
                               torch.stack([p.pred_score for p in predicted]))
    torch.testing.assert_close(scores.sum(1), torch.ones(2))
