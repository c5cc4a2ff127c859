"""AttentionPoolHead: learned attention pooling, by hand."""
import torch

from mmaction.registry import MODELS
from mmaction_masa.models.heads import AttentionPoolHead


def _head(**kwargs):
    head = MODELS.build(
        dict(type='AttentionPoolHead', num_classes=3, in_channels=4, **kwargs))
    head.init_weights()
    return head


def test_weights_are_a_softmax_of_the_scorer():
    head = _head(hid_channels=2)
    with torch.no_grad():
        head.attention[0].weight.copy_(torch.eye(2, 4))
        head.attention[0].bias.zero_()
        head.attention[2].weight.copy_(torch.tensor([[1.0, 0.0]]))
        head.attention[2].bias.zero_()
    # One person, 3 frames, 1 "joint": channel 0 = 0, 1, 2.
    x = torch.zeros(1, 1, 4, 3, 1)
    x[0, 0, 0, :, 0] = torch.tensor([0.0, 1.0, 2.0])
    scores = torch.tanh(torch.tensor([0.0, 1.0, 2.0]))
    expected = torch.softmax(scores, 0)
    torch.testing.assert_close(head.attention_weights(x)[0, 0], expected)
    pooled = (x[0, 0, :, :, 0] * expected).sum(-1)
    torch.testing.assert_close(head(x)[0], head.fc(pooled))


def test_starts_near_average_pooling_and_averages_persons():
    torch.manual_seed(0)
    head = _head()
    x = torch.randn(2, 2, 4, 8, 1)
    weights = head.attention_weights(x)
    assert weights.shape == (2, 2, 8)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 2))
    assert (weights - 1 / 8).abs().max() < 1e-3
    average = head.fc(x.mean((3, 4)).mean(1))
    torch.testing.assert_close(head(x), average, atol=1e-4, rtol=1e-3)


def test_label_smoothing_and_loss_from_gcn_head():
    from mmaction.structures import ActionDataSample
    head = _head(label_smooth_eps=0.1)
    assert isinstance(head, AttentionPoolHead) and head.label_smooth_eps == 0.1
    samples = [ActionDataSample().set_gt_label(1)]
    losses = head.loss(torch.randn(1, 1, 4, 5, 1), samples)
    assert losses['loss_cls'] > 0
