"""mmaction_masa: MASA for isolated sign language recognition in MMAction2.

``import mmaction_masa`` applies the stack fixes of :mod:`.compat` and
registers every dataset, transform, model, metric and hook into
``mmaction.registry``.
"""
from .compat import apply_stack_fixes

apply_stack_fixes()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
