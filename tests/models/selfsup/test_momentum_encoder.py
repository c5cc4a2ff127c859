import pytest
import torch
import torch.nn as nn

from mmaction_masa.models.selfsup.momentum_encoder import MomentumEncoder


def _source():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


def _perturb(module):
    """Change the parameters (as an optimizer step would) and the BN
    statistics (as a training forward does)."""
    with torch.no_grad():
        for param in module.parameters():
            param.add_(torch.randn_like(param))
    module.train()(torch.randn(5, 3))


def test_copy_does_not_require_grad():
    encoder = MomentumEncoder(_source(), momentum=0.25)
    assert all(not p.requires_grad for p in encoder.module.parameters())


def test_first_update_copies_parameters_and_buffers():
    source = _source()
    encoder = MomentumEncoder(source, momentum=0.25)
    _perturb(source)
    encoder.update_parameters(source)
    for avg, src in zip(encoder.module.state_dict().values(),
                        source.state_dict().values()):
        torch.testing.assert_close(avg, src, rtol=0, atol=0)


def test_ema_follows_paper_update():
    mu = 0.75
    source = _source()
    encoder = MomentumEncoder(source, momentum=1 - mu)
    encoder.update_parameters(source)
    expected = [p.detach().clone() for p in source.parameters()]
    for _ in range(3):
        _perturb(source)
        encoder.update_parameters(source)
        expected = [
            mu * k + (1 - mu) * q.detach()
            for k, q in zip(expected, source.parameters())
        ]
        for avg, exp in zip(encoder.module.parameters(), expected):
            torch.testing.assert_close(avg, exp)
        # Buffers (BN statistics, batch count) are copied, not averaged.
        for avg, src in zip(encoder.module.buffers(), source.buffers()):
            torch.testing.assert_close(avg, src, rtol=0, atol=0)
    assert int(encoder.steps) == 4
    # The copy moved away from the source: it really averages.
    assert not torch.allclose(encoder.module[0].weight, source[0].weight)


def test_no_gradient_to_the_copy():
    source = _source()
    encoder = MomentumEncoder(source, momentum=0.5)
    encoder.update_parameters(source)
    x = torch.randn(4, 3, requires_grad=True)
    encoder.module(x).sum().backward()
    assert x.grad is not None
    assert all(p.grad is None for p in encoder.module.parameters())


def test_rejects_other_structure():
    encoder = MomentumEncoder(_source(), momentum=0.5)
    with pytest.raises(ValueError, match='parameters'):
        encoder.update_parameters(nn.Linear(3, 4))
