"""mmaction_masa.safe_loading: checkpoints and pickles load without running
code; a file naming any other global is refused and its payload never runs.
"""
import os
import pickle
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

import mmaction_masa  # noqa: F401  (registers the safe loader)
from mmaction_masa.safe_loading import (TRUST_ENV, UnsafePickleError,
                                        load_checkpoint_file, load_safetensors,
                                        restricted_loads, save_safetensors)


class Payload:
    """Unpickling this creates the directory ``marker`` (os.mkdir)."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker, )


def _runner_like_checkpoint() -> dict:
    """What an MMEngine runner stores: tensors, HistoryBuffers, numpy."""
    buffer = HistoryBuffer()
    buffer.update(1.5)
    return dict(
        meta=dict(epoch=1, seed=3, dataset_meta=dict(classes=('a', ))),
        state_dict=OrderedDict(w=torch.ones(2)),
        message_hub=dict(
            log_scalars=OrderedDict(loss=buffer),
            runtime_info=dict(
                eta=np.float64(2.0), best=np.float32(0.5), hist=np.arange(3))),
        optimizer=dict(state={}, param_groups=[dict(lr=0.1)]))


def test_runner_checkpoint_loads_with_weights_only(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    torch.save(_runner_like_checkpoint(), path)
    loaded = _load_checkpoint(str(path), map_location='cpu')
    hub = loaded['message_hub']
    assert hub['log_scalars']['loss'].mean() == 1.5
    assert hub['runtime_info']['eta'] == 2.0
    np.testing.assert_array_equal(hub['runtime_info']['hist'], np.arange(3))
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2))


@pytest.mark.parametrize('where', ['meta', 'message_hub'])
def test_checkpoint_payload_refused_and_not_run(tmp_path, where):
    marker = tmp_path / 'pwned'
    checkpoint = _runner_like_checkpoint()
    checkpoint[where]['payload'] = Payload(marker)
    path = tmp_path / 'evil.pth'
    torch.save(checkpoint, path)
    with pytest.raises(UnsafePickleError) as info:
        _load_checkpoint(str(path), map_location='cpu')
    assert str(path) in str(info.value) and 'mkdir' in str(info.value)
    assert TRUST_ENV in str(info.value)
    assert not marker.exists()


def test_history_buffer_getattr_is_limited(tmp_path):
    # getattr is allowed for HistoryBuffer's statistics methods only.
    marker = tmp_path / 'pwned'

    class Sneaky:

        def __reduce__(self):
            return getattr, (HistoryBuffer, '__init__')

    checkpoint = _runner_like_checkpoint()
    checkpoint['meta']['x'] = Sneaky()
    path = tmp_path / 'sneaky.pth'
    torch.save(checkpoint, path)
    with pytest.raises(UnsafePickleError, match='__init__'):
        load_checkpoint_file(str(path))
    assert not marker.exists()


def test_trust_env_restores_plain_unpickling(tmp_path, monkeypatch):
    marker = tmp_path / 'ran'
    path = tmp_path / 'own_old.pth'
    torch.save(dict(state_dict={}, meta=dict(x=Payload(marker))), path)
    monkeypatch.setenv(TRUST_ENV, '1')
    load_checkpoint_file(str(path))
    assert marker.is_dir()  # the opt-in really runs pickled code
    marker.rmdir()
    restricted_loads(pickle.dumps(Payload(marker)), 'x.pkl')
    assert marker.is_dir()


def test_restricted_unpickler_reads_annotation_values():
    value = dict(
        a=np.zeros((2, 3), np.float32),
        b=np.float32(1.5),
        c=np.array(['x', 'yz']),
        d=[1, 2.5, 'g', None, True, (1, 2)],
        e={1, 2},
        f=frozenset([3]),
        g=OrderedDict(k=np.int64(4)),
        h=complex(1, 2),
        i=b'bytes')
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        loaded = restricted_loads(
            pickle.dumps(value, protocol=protocol), 'ann.pkl')
        assert loaded.keys() == value.keys()
        np.testing.assert_array_equal(loaded['a'], value['a'])
        assert loaded['a'].dtype == np.float32
        assert loaded['c'].tolist() == ['x', 'yz']
        assert loaded['d'] == value['d'] and loaded['e'] == {1, 2}
        assert loaded['g']['k'] == 4 and loaded['h'] == complex(1, 2)


@pytest.mark.parametrize('evil', [
    (os.mkdir, 'posix.mkdir'),
    (eval, 'builtins.eval'),
    (getattr, 'builtins.getattr'),
])
def test_restricted_unpickler_refuses_other_globals(tmp_path, evil):
    func, name = evil
    marker = tmp_path / 'pwned'

    class Evil:

        def __reduce__(self):
            if func is os.mkdir:
                return func, (str(marker), )
            if func is eval:
                return func, (f'__import__("os").mkdir({str(marker)!r})', )
            return func, ('', 'join')

    data = pickle.dumps(dict(annotations=[Evil()]))
    with pytest.raises(UnsafePickleError) as info:
        restricted_loads(data, 'ann.pkl')
    assert 'ann.pkl' in str(info.value) and name in str(info.value)
    assert not marker.exists()


def test_safetensors_round_trip_with_meta(tmp_path):
    path = tmp_path / 'backbone.safetensors'
    tensors = OrderedDict(a=torch.arange(6.).reshape(2, 3), b=torch.ones(1))
    save_safetensors(tensors, dict(backbone_cfg=dict(type='X', d=(1, 2))),
                     str(path))
    loaded = load_safetensors(str(path))
    assert loaded['meta'] == dict(backbone_cfg=dict(type='X', d=[1, 2]))
    for key, value in tensors.items():
        assert torch.equal(loaded['state_dict'][key], value)
    via_mmengine = _load_checkpoint(str(path), map_location='cpu')
    assert set(via_mmengine['state_dict']) == {'a', 'b'}


def test_concurrent_loads_keep_the_allow_list(tmp_path):
    """torch keeps ``safe_globals`` in one process-wide set: without a lock,
    a thread leaving the context removes the numpy entries while another
    thread is still unpickling (``tools/eval_wlasl50_dev.py --jobs 2`` saw
    this). 4 threads x 25 loads of a checkpoint holding numpy values."""
    from concurrent.futures import ThreadPoolExecutor
    path = tmp_path / 'numpy_state.pth'
    torch.save(
        dict(
            state_dict=OrderedDict(w=torch.ones(2)),
            rng=np.arange(600, dtype=np.uint32),
            eta=np.float64(1.5)), path)

    def load(_: int) -> float:
        return float(load_checkpoint_file(str(path))['rng'].sum())

    with ThreadPoolExecutor(4) as pool:
        sums = list(pool.map(load, range(100)))
    assert sums == [599 * 600 / 2] * 100
