"""Resolve every config under ``configs/`` into plain, JSON-serialisable
data, and dump the result as the snapshot ``resolved_configs.json``.

The snapshot was dumped from the config tree *before* ``configs/dev/`` and
``configs/signs/`` were moved onto ``configs/_base_/`` (instead of the
synthetic demo's configs); ``test_resolved_configs.py`` checks that every
config still resolves to it. Do not regenerate it to make that test pass:
a difference is either a bug of the move or belongs in the test's list of
intended differences, with its reason.

Run from the repository root (only to make a first snapshot)::

    .venv/bin/python tests/configs/resolved_configs.py --dump
"""
import argparse
import json
import math
import os
from pathlib import Path
from typing import Any, Dict

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO_ROOT / 'configs'
SNAPSHOT = Path(__file__).resolve().parent / 'resolved_configs.json'
# Keys that depend on where the file lies, not on what it says.
LOCATION_KEYS = ('filename', '_filename', '__file__', 'fileio_backend')


def config_paths():
    """Every config under ``configs/`` (the ``_base_`` fragments too), as
    paths relative to ``configs/``, sorted."""
    return sorted(
        p.relative_to(CONFIG_DIR).as_posix() for p in CONFIG_DIR.rglob('*.py'))


def plain(value: Any) -> Any:
    """``value`` as deterministic JSON data. Tuples become
    ``{'__tuple__': [...]}`` so that a tuple turned list still differs;
    non-finite floats become ``{'__float__': 'inf'}`` and the like."""
    if isinstance(value, dict):
        return {
            str(k): plain(v)
            for k, v in value.items() if k not in LOCATION_KEYS
        }
    if isinstance(value, tuple):
        return {'__tuple__': [plain(v) for v in value]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return {'__float__': repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f'cannot snapshot {type(value).__name__}: {value!r}')


def resolve(rel: str) -> Dict[str, Any]:
    """The resolved config ``configs/<rel>`` as plain data."""
    from mmengine.config import Config

    import mmaction_masa  # noqa: F401  (mmaction_masa:: config paths)
    cfg = Config.fromfile(str(CONFIG_DIR / rel))
    return plain(cfg.to_dict())


def resolve_all() -> Dict[str, Dict[str, Any]]:
    """Every config under ``configs/``, resolved, keyed by its path."""
    return {rel: resolve(rel) for rel in config_paths()}


def dumps(resolved: Dict[str, Any]) -> str:
    """The snapshot's text: sorted keys, one indented entry per config."""
    return json.dumps(resolved, indent=1, sort_keys=True) + '\n'


def main() -> None:
    """Write (``--dump``) or print the resolved configs."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--dump',
        action='store_true',
        help=f'write {SNAPSHOT.relative_to(REPO_ROOT)} (refuses to '
        'overwrite it)')
    args = parser.parse_args()
    text = dumps(resolve_all())
    if not args.dump:
        print(text, end='')
        return
    if SNAPSHOT.exists():
        raise SystemExit(f'{SNAPSHOT} exists: the snapshot is the state '
                         'before the move and is not regenerated')
    SNAPSHOT.write_text(text)
    print(f'wrote {SNAPSHOT}')


if __name__ == '__main__':
    os.chdir(REPO_ROOT)
    main()
