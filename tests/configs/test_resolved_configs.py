"""The config tree's reorganisation changed no resolved config, and later
changes of a snapshot config are the listed ones only.

``resolved_configs.json`` holds every config under ``configs/`` resolved
(``Config.fromfile(...).to_dict()``) as it was *before* ``configs/dev/``,
``configs/signs/`` and ``configs/demo/`` were moved from inheriting each other
onto ``configs/_base_/`` fragments (small models, schedules). Every config of
the snapshot must still exist and resolve to the same values; the only
accepted differences are listed in ``INTENDED_DIFFERENCES`` (by dotted path)
with their reason, and ``RENAMED`` configs resolve as the snapshot of the
name they replace.
Configs added after the snapshot are not compared (``test_configs.py`` loads
every config).
"""
import ast
import importlib.util
import json
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location('resolved_configs',
                                               _HERE / 'resolved_configs.py')
resolved_configs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(resolved_configs)

CONFIG_DIR = resolved_configs.CONFIG_DIR
SNAPSHOT = json.loads(resolved_configs.SNAPSHOT.read_text())

# {config path: {dotted path: reason}}: resolved values allowed to differ
# from the snapshot (the value at the path and everything under it). The
# move itself changed no resolved value, not even a helper variable (only
# ``_base_`` differs, and mmengine drops it from the resolved config); later
# changes of a snapshot config are listed here.
_RECIPE = ('the sign-recognition recipe became the default of the '
           'real-data fine-tuning configs (issue 28); the paper\'s recipe is '
           'the *_plain.py sibling, see RENAMED')
_RECIPE_PATHS = {
    'model.backbone.drop_path_rate': _RECIPE,
    'train_dataloader.dataset.pipeline': _RECIPE,
    'test_dataloader.dataset.pipeline': _RECIPE,
    'recipe_clip_len': _RECIPE,
    'recipe_time_warp': _RECIPE,
    'recipe_pose_affine': _RECIPE,
    'recipe_train_pipeline': _RECIPE,
    'recipe_test_pipeline': _RECIPE,
    'recipe_model': _RECIPE,
}
INTENDED_DIFFERENCES = {
    'signs/masa_finetune_signs35.py': _RECIPE_PATHS,
    'dev/masa_finetune_wlasl50dev.py': _RECIPE_PATHS,
    'masa_finetune_custom.py': _RECIPE_PATHS,
}
# {new config: snapshot config}: a config that now holds what another one
# resolved to (the switch back to the paper's fine-tuning recipe).
RENAMED = {
    'signs/masa_finetune_signs35_plain.py': 'signs/masa_finetune_signs35.py',
    'dev/masa_finetune_wlasl50dev_plain.py': 'dev/masa_finetune_wlasl50dev.py',
}


def differences(old, new, where=''):
    """The paths (``a.b[2].c``) at which two JSON values differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(old.keys() | new.keys()):
            path = f'{where}.{key}' if where else key
            if key not in old:
                found.append(f'{path} (added)')
            elif key not in new:
                found.append(f'{path} (removed)')
            else:
                found += differences(old[key], new[key], path)
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f'{where} (length {len(old)} -> {len(new)})']
        return [
            d for i, (a, b) in enumerate(zip(old, new))
            for d in differences(a, b, f'{where}[{i}]')
        ]
    if type(old) is not type(new) or old != new:
        return [f'{where}: {old!r} -> {new!r}']
    return []


def under(difference: str, path: str) -> bool:
    """Whether a difference (``a.b[2].c: x -> y``, ``a.b (added)``) is at
    ``path`` or below it."""
    return difference == path or (difference.startswith(path)
                                  and difference[len(path)] in ' .[:')


def unintended(rel, old, new):
    """The differences of ``rel`` from its snapshot not listed as
    intended."""
    intended = INTENDED_DIFFERENCES.get(rel, {})
    return [
        d for d in differences(old, new)
        if not any(under(d, path) for path in intended)
    ]


def test_snapshot_configs_still_exist():
    """No config of the snapshot was renamed or deleted."""
    missing = [rel for rel in SNAPSHOT if not (CONFIG_DIR / rel).is_file()]
    assert not missing


@pytest.mark.parametrize('rel', sorted(SNAPSHOT))
def test_config_resolves_as_before_the_move(rel):
    """Every resolved value is the snapshot's (less the intended ones)."""
    if not (CONFIG_DIR / rel).is_file():
        pytest.fail(f'configs/{rel} is gone (renamed or deleted)')
    assert unintended(rel, SNAPSHOT[rel], resolved_configs.resolve(rel)) == []


@pytest.mark.parametrize('rel', sorted(RENAMED))
def test_renamed_config_resolves_as_the_snapshot_of_its_old_name(rel):
    """The ``*_plain.py`` switch back holds exactly what the default
    config resolved to before the recipe became the default."""
    new = resolved_configs.resolve(rel)
    assert differences(SNAPSHOT[RENAMED[rel]], new) == []


def test_intended_differences_are_real():
    """Each listed difference names a snapshot config and a path at which
    it differs, with a reason (the list does not hide drift)."""
    for rel, paths in INTENDED_DIFFERENCES.items():
        assert rel in SNAPSHOT, rel
        found = differences(SNAPSHOT[rel], resolved_configs.resolve(rel))
        for path, reason in paths.items():
            assert reason.strip(), (rel, path)
            assert any(under(d, path) for d in found), (rel, path)


def test_under_matches_a_path_and_below_only():
    assert under('model.backbone.drop_path_rate (added)',
                 'model.backbone.drop_path_rate')
    assert under('a.b[2].c: 1 -> 2', 'a.b')
    assert under('a.b: 1 -> 2', 'a.b')
    assert not under('a.bc: 1 -> 2', 'a.b')
    assert not under('a: 1 -> 2', 'a.b')


def test_differences_finds_changes():
    """The comparison sees a changed value, a tuple turned list, an added
    and a removed key, and a changed list length."""
    plain = resolved_configs.plain
    old = plain(dict(a=dict(b=(1, 2)), c=[1, 2], d=0.5))
    assert differences(old, old) == []
    assert differences(old, plain(dict(a=dict(b=[1, 2]), c=[1, 2], d=0.5)))
    assert differences(old, plain(dict(a=dict(b=(1, 2)), c=[1],
                                       d=0.5))) == ['c (length 2 -> 1)']
    assert differences(old, plain(dict(a=dict(b=(1, 2)),
                                       c=[1, 2]))) == ['d (removed)']
    assert differences(old, plain(dict(old, d=0.25))) == ['d: 0.5 -> 0.25']
    assert differences(old,
                       plain(dict(a=dict(b=(1, 2)), c=[1, 2], d=0.5,
                                  e=1))) == ['e (added)']


def bases(path: Path):
    """The config files ``path`` inherits from, directly or not (files of
    other packages, ``mmaction::...``, left out)."""
    tree = ast.parse(path.read_text())
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '_base_'
                for t in node.targets):
            value = ast.literal_eval(node.value)
            names = [value] if isinstance(value, str) else list(value)
    found = []
    for name in names:
        if name.startswith('mmaction_masa::'):
            base = CONFIG_DIR / name.split('::', 1)[1]
        elif '::' in name:
            continue
        else:
            base = (path.parent / name).resolve()
        found += [base, *bases(base)]
    return found


# Real-data recipes that inherit another recipe on purpose: the same task
# with another pre-trained checkpoint.
RECIPE_PARENTS = {
    'signs/masa_finetune_wlasl50dev_from_signs.py':
    'dev/masa_finetune_wlasl50dev_plain.py',
}


@pytest.mark.parametrize('group', ['dev', 'signs'])
def test_real_data_recipes_do_not_inherit_the_demo(group):
    """``configs/dev/`` and ``configs/signs/`` are built from
    ``configs/_base_/`` (and their own group), never from the synthetic
    demo's configs, so that changing the demo changes no real-data recipe."""
    for path in sorted((CONFIG_DIR / group).rglob('*.py')):
        rel = path.relative_to(CONFIG_DIR).as_posix()
        for base in bases(path):
            base_rel = base.relative_to(CONFIG_DIR).as_posix()
            assert not base_rel.startswith('demo/'), (rel, base_rel)
            if group == 'signs' and base_rel.startswith('dev/'):
                assert any(
                    rel.startswith(child[:-3]) and base_rel == parent
                    for child, parent in RECIPE_PARENTS.items()), (rel,
                                                                   base_rel)
