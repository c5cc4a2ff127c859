import math

import pytest
import torch
import torch.nn as nn

from mmaction_masa.models.utils import (FastDropout, add_position_embedding,
                                        all_gather_batch, autocast_off,
                                        init_position_embedding,
                                        loads_pretrained, sinusoid_table,
                                        transformer_stack, xavier_init_)


def test_loads_pretrained():
    pretrained = dict(type='Pretrained', checkpoint='x.pth')
    assert loads_pretrained(pretrained)
    assert loads_pretrained([dict(type='Normal'), pretrained])
    assert not loads_pretrained(None)
    assert not loads_pretrained(dict(type='Xavier'))


def test_xavier_init_leaves_vectors():
    torch.manual_seed(0)
    layer = nn.Linear(6, 10)
    nn.init.zeros_(layer.weight)
    bias = layer.bias.detach().clone()
    xavier_init_(layer)
    bound = (6 / (6 + 10))**0.5
    assert 0 < layer.weight.abs().max() <= bound
    torch.testing.assert_close(layer.bias, bias)


def test_autocast_off_keeps_float32_matmul():
    a, b = torch.randn(3, 4), torch.randn(4, 2)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        assert (a @ b).dtype == torch.bfloat16
        with autocast_off(a.device):
            assert (a @ b).dtype == torch.float32


def test_all_gather_batch_single_process_is_identity():
    # The two-rank case is tested in selfsup/test_batch_shuffle.py.
    x = torch.randn(3, 2)
    gathered, sizes = all_gather_batch(x)
    assert gathered is x and sizes == [3]


def test_sinusoid_table_by_hand():
    table = sinusoid_table(3, 4)  # frequencies 1 and 10000^(-1/2) = 0.01
    assert table.shape == (1, 3, 4) and table.dtype == torch.float32
    assert table[0, 0].tolist() == [0.0, 1.0, 0.0, 1.0]
    expected = [[
        math.sin(t),
        math.cos(t),
        math.sin(0.01 * t),
        math.cos(0.01 * t)
    ] for t in (1, 2)]
    torch.testing.assert_close(table[0, 1:], torch.tensor(expected))
    with pytest.raises(ValueError, match='even width, got 5'):
        sinusoid_table(3, 5)


def test_position_embedding_kinds():
    module = nn.Module()
    add_position_embedding(module, 'learned', 8, 6)
    learned = module.pos_embed
    assert isinstance(learned, nn.Parameter) and not learned.any()
    torch.manual_seed(0)
    init_position_embedding(learned)
    assert 0.01 < learned.std() < 0.03
    assert list(module.state_dict()) == ['pos_embed']
    fixed = nn.Module()
    add_position_embedding(fixed, 'sincos', 8, 6)
    assert not isinstance(fixed.pos_embed, nn.Parameter)
    init_position_embedding(fixed.pos_embed)  # left as it is
    torch.testing.assert_close(fixed.pos_embed, sinusoid_table(8, 6))
    assert list(fixed.parameters()) == [] and fixed.state_dict() == {}
    with pytest.raises(ValueError, match="one of .*'sincos'.*got 'rope'"):
        add_position_embedding(nn.Module(), 'rope', 8, 6)


def test_fast_dropout_values_are_zero_or_scaled():
    # p = 0.1: threshold round(0.1 * 65536) = 6554, kept values scaled by
    # 65536 / (65536 - 6554) = 65536 / 58982.
    drop = FastDropout(0.1)
    assert drop.threshold == 6554
    x = torch.arange(1, 10001, dtype=torch.float32)
    y = drop(x)
    kept = y != 0
    assert torch.allclose(y[kept], x[kept] * (65536 / 58982), rtol=1e-6)
    assert 0 < int((~kept).sum()) < 10000


def test_fast_dropout_rate_and_independence():
    torch.manual_seed(0)
    n = 2**22
    for p in (0.1, 0.25, 0.5):
        keep = FastDropout(p).keep_mask(torch.empty(n)).double()
        q = round(p * 65536) / 65536
        sigma = (q * (1 - q) / n)**0.5
        assert abs((1 - keep.mean().item()) - q) < 5 * sigma
        # the four 16-bit lanes of one random word are independent
        centred = keep - keep.mean()
        corr = (centred[:-1] * centred[1:]).mean() / centred.var()
        assert abs(corr.item()) < 5 / n**0.5


def test_fast_dropout_gradient_matches_mask():
    x = torch.ones(64, 33, requires_grad=True)
    y = FastDropout(0.25)(x)
    y.sum().backward()
    # 0.25 is exact in 16 bits: kept elements are scaled by 4 / 3.
    assert torch.equal(x.grad, y.detach())
    assert set(torch.unique(y).tolist()) <= {0.0, torch.tensor(4 / 3).item()}


def test_fast_dropout_identity_cases_and_errors():
    x = torch.randn(5, 7)
    drop = FastDropout(0.3)
    drop.eval()
    assert drop(x) is x
    assert FastDropout(0.0)(x) is x
    assert torch.equal(FastDropout(1.0)(x), torch.zeros_like(x))
    assert FastDropout(0.5)(x.bfloat16()).dtype == torch.bfloat16
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError, match='dropout probability'):
            FastDropout(p)


def test_fast_dropout_is_seeded_by_torch():
    x = torch.ones(1000)
    torch.manual_seed(3)
    first = FastDropout(0.5)(x)
    second = FastDropout(0.5)(x)
    torch.manual_seed(3)
    assert torch.equal(FastDropout(0.5)(x), first)
    assert not torch.equal(first, second)


def test_transformer_stack_uses_fast_dropout():
    stack = transformer_stack(16, 2, 2, 32, 0.1)
    drops = [m for m in stack.modules() if isinstance(m, FastDropout)]
    assert len(drops) == 6 and all(d.p == 0.1 for d in drops)
    assert not any(type(m) is nn.Dropout for m in stack.modules())


def test_transformer_stack_drop_path_rises_per_block():
    from mmcv.cnn.bricks import DropPath
    stack = transformer_stack(16, 3, 2, 32, 0.1, drop_path_rate=0.2)
    rates = [[m.drop_prob for m in block.modules() if isinstance(m, DropPath)]
             for block in stack.layers]
    # Block i of 3: 0.2 * i / 2 on both residual branches, none in block 0.
    assert rates == [[], [0.1, 0.1], [0.2, 0.2]]
    # Each branch keeps its dropout before the drop path.
    assert len([m for m in stack.modules() if isinstance(m, FastDropout)]) == 9
    with pytest.raises(ValueError, match='drop_path_rate'):
        transformer_stack(16, 2, 2, 32, 0.1, drop_path_rate=1.0)


def test_drop_path_drops_whole_samples_in_training_only():
    torch.manual_seed(0)
    stack = transformer_stack(8, 2, 2, 16, 0.0, drop_path_rate=0.999)
    block = stack.layers[1]
    x = torch.randn(64, 5, 8)
    branch = block.dropout1
    out = branch(x)
    kept = out.flatten(1).abs().sum(1) > 0
    # A dropped sample is zero in every frame and channel; a kept one is
    # scaled by 1 / (1 - p).
    assert kept.sum() < 8
    torch.testing.assert_close(out[kept], x[kept] / (1 - 0.999))
    stack.eval()
    torch.testing.assert_close(branch(x), x)
