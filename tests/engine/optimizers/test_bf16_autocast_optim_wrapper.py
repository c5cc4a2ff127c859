"""BF16AutocastOptimWrapper: bfloat16 forward on CPU, float32 state."""
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.registry import DefaultScope

from mmaction_masa.engine import BF16AutocastOptimWrapper
from mmaction_masa.engine.optimizers import bf16_autocast_optim_wrapper


class _Regressor(BaseModel):
    """y = Wx with an MSE loss; records the dtype of its forward output."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(4, 1, bias=False)
        self.seen = []

    def forward(self, inputs, data_samples=None, mode='loss'):
        pred = self.linear(inputs)
        self.seen.append((pred.dtype, torch.is_autocast_enabled('cpu')))
        return dict(loss=(pred.float() - data_samples).square().mean())


def _build(model, type_, **kwargs):
    with DefaultScope.overwrite_default_scope('mmaction'):
        return build_optim_wrapper(
            model,
            dict(type=type_, optimizer=dict(type='SGD', lr=0.1), **kwargs))


def test_forward_runs_in_bfloat16_and_state_stays_float32():
    torch.manual_seed(0)
    model = _Regressor()
    # native_only=False: bfloat16 even where this CPU only emulates it.
    wrapper = _build(model, 'BF16AutocastOptimWrapper', native_only=False)
    assert isinstance(wrapper, BF16AutocastOptimWrapper)
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    before = model.linear.weight.detach().clone()
    model.train_step(dict(inputs=x, data_samples=y), wrapper)
    assert model.seen == [(torch.bfloat16, True)]
    assert not torch.is_autocast_enabled('cpu')  # only inside the step
    weight = model.linear.weight
    assert weight.dtype == torch.float32 and weight.grad is None
    # One SGD step of the bfloat16 forward: close to the float32 step.
    x16 = x.bfloat16().float()
    w16 = before.bfloat16().float()
    pred = (x16 @ w16.t()).bfloat16().float()
    grad = 2 * ((pred - y) * x).mean(0, keepdim=True)
    torch.testing.assert_close(
        weight.detach(), before - 0.1 * grad, atol=2e-2, rtol=0)
    assert not torch.equal(weight.detach(), before)


def test_checkpoint_state_is_the_plain_wrappers():
    model = _Regressor()
    plain = _build(model, 'OptimWrapper')
    wrapper = _build(model, 'BF16AutocastOptimWrapper')
    assert isinstance(plain, OptimWrapper)
    assert wrapper.state_dict().keys() == plain.state_dict().keys()


@pytest.fixture
def no_native_bf16(monkeypatch):
    """A CPU without native bfloat16 (as an AVX2-only machine)."""
    monkeypatch.setattr(bf16_autocast_optim_wrapper.torch.ops.mkldnn,
                        '_is_mkldnn_bf16_supported', lambda: False)


def test_without_native_bfloat16_the_forward_stays_float32(
        no_native_bf16, log_messages):
    model = _Regressor()
    wrapper = _build(model, 'BF16AutocastOptimWrapper')
    assert not bf16_autocast_optim_wrapper.native_bf16('cpu')
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    model.train_step(dict(inputs=x, data_samples=y), wrapper)
    model.train_step(dict(inputs=x, data_samples=y), wrapper)
    assert model.seen == [(torch.float32, False)] * 2
    # Said once (the MMEngine log), not every step.
    assert sum('no native bfloat16' in m for m in log_messages) == 1
    # The switch forces bfloat16 on the same machine.
    forced = _build(model, 'BF16AutocastOptimWrapper', native_only=False)
    model.train_step(dict(inputs=x, data_samples=y), forced)
    assert model.seen[-1] == (torch.bfloat16, True)
