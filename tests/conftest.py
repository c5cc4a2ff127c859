"""Shared fixtures: the repository root, the real data beside it, the
messages of the MMEngine log, a tiny untrained recognizer (the tool tests'
config) for the API and analysis tests."""
import logging
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Iterator, List

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


@pytest.fixture(scope='session')
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope='session')
def shared_data() -> Path:
    """``../shared/data`` (real sign data), or skip when it is absent."""
    if not (SHARED_DATA / 'real').is_dir():
        pytest.skip(f'needs real sign data at {SHARED_DATA} '
                    '(../shared/data beside the repository)')
    return SHARED_DATA


@pytest.fixture(autouse=True)
def plain_mmengine_logger(request) -> None:
    """Start every test with a plain ``MMLogger`` as mmengine's current
    instance. A Runner run in-process (a tool's ``main``) leaves its logger
    current, with a file handler that is closed later; mmengine's
    ``init_weights`` then writes its report to that handler and fails."""
    from mmengine.logging import MMLogger
    MMLogger.get_instance(f'pytest:{request.node.nodeid}')


@pytest.fixture
def log_messages(plain_mmengine_logger) -> Iterator[List[str]]:
    """The messages the current ``MMLogger`` logs during the test."""
    from mmengine.logging import MMLogger
    messages: List[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)


def _tool_helpers() -> ModuleType:
    """``tests/tools/conftest.py`` (shared config writer) as a module."""
    path = REPO_ROOT / 'tests' / 'tools' / 'conftest.py'
    spec = spec_from_file_location('tool_test_helpers', path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def tiny_config(tmp_path_factory, shared_data) -> Path:
    """The tiny fine-tuning config for ``wlasl50_dev.pkl``."""
    return _tool_helpers().write_tiny_config(
        tmp_path_factory.mktemp('api_cfg') / 'tiny.py',
        shared_data / 'real' / 'wlasl50_dev.pkl')


@pytest.fixture
def tiny_model(tiny_config):
    """An initialised (untrained) tiny recognizer and its config."""
    import torch

    from mmaction_masa.apis import load_recognizer
    torch.manual_seed(0)
    model, cfg, _ = load_recognizer(tiny_config)
    model.init_weights()
    return model, cfg
