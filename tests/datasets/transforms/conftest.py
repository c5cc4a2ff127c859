"""Fixtures of the transform tests: real clips and a loop inspector."""
import ast
import inspect
import pickle
from pathlib import Path
from typing import Callable, Dict, List

import pytest

import mmaction_masa  # noqa: F401  (registers the transforms)


def _load(path: Path) -> Dict:
    with open(path, 'rb') as file:
        return pickle.load(file)


@pytest.fixture(scope='session')
def wlasl_dev(shared_data: Path) -> Dict:
    """``wlasl50_dev.pkl``: 212 real 49-joint clips, coordinates in [0, 1]."""
    return _load(shared_data / 'real' / 'wlasl50_dev.pkl')


@pytest.fixture(scope='session')
def wholebody_2signs(shared_data: Path) -> Dict:
    """Two real signs as raw 133-keypoint MMPose output in pixels."""
    return _load(shared_data / 'real' / 'mmpose_wholebody_2signs_133kp.pkl')


@pytest.fixture(scope='session')
def loop_sources() -> Callable[[object], List[str]]:
    """Source of what every Python loop of a module iterates over.

    ``for`` / ``while`` statements and comprehensions all count, so a test
    can assert that a transform loops over no frame or joint axis.
    """

    def sources(module: object) -> List[str]:
        tree = ast.parse(inspect.getsource(module))
        found = []
        for node in ast.walk(tree):
            if isinstance(node, (ast.For, ast.comprehension)):
                found.append(ast.unparse(node.iter))
            elif isinstance(node, ast.While):
                found.append(f'while {ast.unparse(node.test)}')
        return sorted(found)

    return sources
