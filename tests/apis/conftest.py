"""A tiny, untrained recognizer (the tool tests' config) for API tests."""
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest
import torch

from mmaction_masa.apis import load_recognizer


def _tool_helpers():
    """``tests/tools/conftest.py`` (shared config writer) as a module."""
    path = Path(__file__).resolve().parents[1] / 'tools' / 'conftest.py'
    spec = spec_from_file_location('tool_test_helpers', path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL_HELPERS = _tool_helpers()


@pytest.fixture(scope='session')
def tiny_config(tmp_path_factory, shared_data) -> Path:
    """The tiny fine-tuning config for ``wlasl50_dev.pkl``."""
    return TOOL_HELPERS.write_tiny_config(
        tmp_path_factory.mktemp('api_cfg') / 'tiny.py',
        shared_data / 'real' / 'wlasl50_dev.pkl')


@pytest.fixture
def tiny_model(tiny_config):
    """An initialised (untrained) tiny recognizer and its config."""
    torch.manual_seed(0)
    model, cfg, _ = load_recognizer(tiny_config)
    model.init_weights()
    return model, cfg
