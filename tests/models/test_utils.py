import torch
import torch.nn as nn

from mmaction_masa.models.utils import (all_gather_batch, autocast_off,
                                        loads_pretrained, xavier_init_)


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
