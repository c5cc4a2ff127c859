"""The installed package wins over a clone folder named like it."""
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

CHECK = ('import mmaction_masa; from mmaction.registry import MODELS; '
         "print(mmaction_masa.__file__); print(MODELS.get('MASABackbone'))")


def test_import_from_the_clones_parent_folder(tmp_path):
    """From the folder holding a clone named ``mmaction_masa``, ``import
    mmaction_masa`` must load the package (not the clone as an empty
    namespace package that registers nothing)."""
    (tmp_path / 'mmaction_masa').symlink_to(REPO_ROOT,
                                            target_is_directory=True)
    proc = subprocess.run([sys.executable, '-c', CHECK], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    init, backbone = proc.stdout.strip().splitlines()[-2:]
    assert init == str(REPO_ROOT / 'mmaction_masa' / '__init__.py')
    assert 'MASABackbone' in backbone
