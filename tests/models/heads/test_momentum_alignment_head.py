import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmaction.registry import MODELS
from mmaction_masa.models import SequenceEncoder, info_nce


def _build(cfg, **kwargs):
    torch.manual_seed(0)
    head = MODELS.build({**cfg, **kwargs})
    head.init_weights()
    return head


def _manual_info_nce(query, key, negatives, temperature):
    """Eq. 8 written out with Python floats."""
    total = 0.0
    for q, k in zip(query.tolist(), key.tolist()):
        pos = math.exp(sum(a * b for a, b in zip(q, k)) / temperature)
        neg = sum(
            math.exp(sum(a * b for a, b in zip(q, n)) / temperature)
            for n in negatives.tolist())
        total -= math.log(pos / (pos + neg))
    return total / len(query)


def _unit(*shape):
    return F.normalize(torch.randn(*shape), dim=-1)


@pytest.mark.parametrize('temperature', [0.07, 0.5])
def test_info_nce_matches_manual(temperature):
    torch.manual_seed(1)
    query, key, negatives = _unit(3, 8), _unit(3, 8), _unit(5, 8)
    loss = info_nce(query, key, negatives, temperature)
    expected = _manual_info_nce(query, key, negatives, temperature)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_info_nce_temperature_sharpens():
    torch.manual_seed(2)
    query, negatives = _unit(4, 8), _unit(6, 8)
    # Keys equal to the queries: the positive is the most similar key, so
    # a lower temperature gives a lower loss.
    losses = [
        info_nce(query, query, negatives, t).item() for t in (1.0, 0.3, 0.07)
    ]
    assert losses[0] > losses[1] > losses[2]


def test_info_nce_float32_under_autocast():
    torch.manual_seed(3)
    query, key, negatives = _unit(4, 8), _unit(4, 8), _unit(16, 8)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = info_nce(query, key, negatives, 0.07)
    assert mixed.dtype == torch.float32
    torch.testing.assert_close(mixed, info_nce(query, key, negatives, 0.07))


def test_loss_scores_query_against_key_and_queue(tiny_align_head_cfg):
    head = _build(tiny_align_head_cfg).eval()
    query = _unit(4, 8)
    key = _unit(4, 8)
    queue = head.queue.clone()
    loss = head.loss(query, key)
    assert loss.item() == pytest.approx(
        _manual_info_nce(query, key, queue, 0.07), rel=1e-5)


def test_loss_gradient_reaches_projector_not_key(tiny_align_head_cfg):
    head = _build(tiny_align_head_cfg)
    key = _unit(4, 8).requires_grad_(True)
    query = SequenceEncoder(nn.Identity(), head.projector).embed(
        torch.randn(4, 3, 24), torch.zeros(4, 3, dtype=torch.bool))
    head.loss(query, key).backward()
    assert key.grad is None
    assert all(p.grad is not None for p in head.projector.parameters())


def test_queue_is_fifo_with_wrap_around(tiny_align_head_cfg):
    head = _build(tiny_align_head_cfg)  # queue_len=10, 8 channels
    assert head.queue.shape == (10, 8)
    torch.testing.assert_close(head.queue.norm(dim=1), torch.ones(10))
    steps = [_unit(4, 8) for _ in range(3)]
    head.enqueue(steps[0])
    assert int(head.queue_ptr) == 4
    torch.testing.assert_close(head.queue[:4], steps[0])
    head.enqueue(steps[1])
    assert int(head.queue_ptr) == 8
    head.enqueue(steps[2])  # slots 8, 9, then 0, 1
    assert int(head.queue_ptr) == 2
    torch.testing.assert_close(head.queue[8:], steps[2][:2])
    torch.testing.assert_close(head.queue[:2], steps[2][2:])
    # Read from the pointer on: oldest to newest key, in enqueue order.
    oldest_first = torch.roll(head.queue, -int(head.queue_ptr), dims=0)
    torch.testing.assert_close(oldest_first,
                               torch.cat([steps[0][2:], steps[1], steps[2]]))


def test_loss_enqueues_after_scoring(tiny_align_head_cfg):
    head = _build(tiny_align_head_cfg)
    key = _unit(3, 8)
    head.loss(_unit(3, 8), key)
    torch.testing.assert_close(head.queue[:3], key)
    assert int(head.queue_ptr) == 3


def test_more_keys_than_queue_keeps_newest(tiny_align_head_cfg):
    head = _build(tiny_align_head_cfg)
    head.enqueue(_unit(3, 8))
    keys = _unit(12, 8)
    head.enqueue(keys)
    assert int(head.queue_ptr) == (3 + 12) % 10
    oldest_first = torch.roll(head.queue, -int(head.queue_ptr), dims=0)
    torch.testing.assert_close(oldest_first, keys[2:])
