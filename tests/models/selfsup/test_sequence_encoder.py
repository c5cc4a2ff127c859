import torch
import torch.nn as nn

from mmaction.registry import MODELS
from mmaction_masa.models import SequenceEncoder, masked_mean
from mmaction_masa.sign_layout import NUM_JOINTS


def test_embed_is_the_unit_projection_of_the_real_tokens_mean():
    projector = nn.Linear(4, 3)
    encoder = SequenceEncoder(nn.Identity(), projector)
    tokens = torch.randn(2, 5, 4)
    padding = torch.tensor([[False, False, False, True, True], [False] * 5])
    out = encoder.embed(tokens, padding)
    torch.testing.assert_close(out.norm(dim=1), torch.ones(2))
    mean = torch.stack([tokens[0, :3].mean(0), tokens[1].mean(0)])
    torch.testing.assert_close(masked_mean(tokens, padding), mean)
    expected = projector(mean)
    torch.testing.assert_close(out,
                               expected / expected.norm(dim=1, keepdim=True))


def test_forward_encodes_the_visible_frames(tiny_backbone_cfg):
    torch.manual_seed(0)
    backbone = MODELS.build(tiny_backbone_cfg).eval()
    encoder = SequenceEncoder(backbone, nn.Linear(24, 8))
    pose = torch.randn(2, 6, NUM_JOINTS, 3)
    visible = torch.ones(2, 6, dtype=torch.bool)
    visible[0, 4:] = False
    out = encoder(pose, visible=visible)
    assert out.shape == (2, 8)
    # Sample 0 is its first 4 frames alone.
    torch.testing.assert_close(out[:1], encoder(pose[:1, :4]))
    assert set(encoder.state_dict()) >= {'projector.weight'}
    assert any(k.startswith('backbone.') for k in encoder.state_dict())
