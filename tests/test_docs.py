"""The README, the changelog and the docs sources as users and CI read them.

* ``README.md`` stays an overview (at most 250 lines) and keeps the two
  commands for a fresh machine; ``.ci/run`` runs its test command verbatim.
* Relative links of ``README.md`` and ``CHANGELOG.md`` name files that exist
  (the Sphinx build of ``tools/build_docs.sh`` checks the links inside
  ``docs/en``).
* ``CHANGELOG.md`` follows Keep a Changelog: ``## [Unreleased]``, then
  ``## [x.y.z] - YYYY-MM-DD`` entries, newest first, with its section names.

Cost: reading a few text files, well under a second.
"""
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
README = (REPO_ROOT / 'README.md').read_text(encoding='utf-8')
CHANGELOG = (REPO_ROOT / 'CHANGELOG.md').read_text(encoding='utf-8')

MAIN_JOB = 'bash tools/setup_env.sh && .venv/bin/python tools/run_demo.py'
TESTS = ('bash tools/setup_env.sh && bash tools/install_browser.sh && '
         '.venv/bin/python -m pytest -q')
#: The section names of https://keepachangelog.com/en/1.1.0/.
CHANGE_TYPES = {
    'Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'
}


def _bash_blocks(text: str) -> list:
    """The contents of the fenced ``bash`` blocks of ``text``."""
    return [m.strip() for m in re.findall(r'```bash\n(.*?)```', text, re.S)]


def test_readme_is_an_overview():
    """At most 250 lines."""
    assert len(README.splitlines()) <= 250


def test_readme_keeps_the_two_commands():
    """The two commands for a fresh machine, each a fenced block."""
    blocks = _bash_blocks(README)
    assert MAIN_JOB in blocks
    assert TESTS in blocks


def test_ci_runs_the_readme_test_command_and_the_docs_build():
    """``.ci/run`` calls the README's test command, then the docs build."""
    ci = (REPO_ROOT / '.ci' / 'run').read_text()
    assert TESTS in ci
    assert ci.index(TESTS) < ci.index('bash tools/build_docs.sh')


def _relative_links(text: str) -> list:
    """Targets of markdown links that are neither URLs nor anchors."""
    targets = re.findall(r'\]\(([^)\s]+)\)', text)
    return [
        t.split('#')[0] for t in targets
        if not re.match(r'[a-z]+:', t) and not t.startswith('#')
    ]


def test_relative_links_of_readme_and_changelog_exist():
    """Every relative link names an existing file of the repository."""
    for text in (README, CHANGELOG):
        for target in _relative_links(text):
            assert (REPO_ROOT / target).exists(), target


def test_changelog_follows_keep_a_changelog():
    """Unreleased first, dated versions newest first, known sections."""
    versions = re.findall(r'^## (.+)$', CHANGELOG, re.M)
    assert versions[0] == '[Unreleased]'
    released = []
    for heading in versions[1:]:
        match = re.fullmatch(r'\[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d\d-\d\d',
                             heading)
        assert match, heading
        released.append(tuple(int(n) for n in match.groups()))
    assert released == sorted(released, reverse=True)
    sections = set(re.findall(r'^### (.+)$', CHANGELOG, re.M))
    assert sections <= CHANGE_TYPES, sections - CHANGE_TYPES


def test_docs_sources_are_complete():
    """The Sphinx sources, their requirements and the ignored build."""
    docs = REPO_ROOT / 'docs'
    for name in ('en/conf.py', 'en/index.md', 'requirements.txt'):
        assert (docs / name).is_file(), name
    include = (docs / 'en' / 'notes' / 'changelog.md').read_text()
    assert '../../../CHANGELOG.md' in include
    assert 'docs/en/_build/' in (REPO_ROOT / '.gitignore').read_text()
