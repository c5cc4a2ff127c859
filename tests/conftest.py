"""Shared fixtures: the repository root and the real data beside it."""
from pathlib import Path

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
