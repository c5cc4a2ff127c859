"""Sphinx configuration of the mmaction_masa documentation (MyST markdown).

Build with ``bash tools/build_docs.sh`` (warnings are errors, internal links
are checked); the HTML goes to ``docs/en/_build/html``.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

project = 'mmaction_masa'
author = 'mmaction_masa contributors'
copyright = '2026, mmaction_masa contributors'
release = re.search(r"version='([^']+)'",
                    (ROOT / 'setup.py').read_text()).group(1)
version = release

extensions = ['myst_parser']
source_suffix = {'.md': 'markdown'}
root_doc = 'index'
exclude_patterns = ['_build']

# MyST: heading anchors (h1-h3) so that ``page.md#heading`` links resolve and
# are checked; ``$...$`` is not maths here (shell variables, prices).
myst_heading_anchors = 3
myst_enable_extensions = ['colon_fence']
# Every internal reference must resolve (with -n and -W a broken one fails
# the build).
nitpicky = True
suppress_warnings = []

html_theme = 'alabaster'
html_title = 'mmaction_masa documentation'
html_static_path = []
