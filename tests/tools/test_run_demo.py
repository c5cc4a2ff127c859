"""tools/run_demo.py (the README's main job) for one epoch of each stage."""
import pytest

from .conftest import load_tool


@pytest.fixture(scope='module')
def demo(repo_root):
    """``tools/run_demo.py`` as a module."""
    return load_tool(repo_root, 'run_demo.py')


def test_one_epoch_demo_end_to_end(demo, tmp_path, capsys):
    data = tmp_path / 'synthetic' / 'signs.pkl'
    metrics = demo.main([
        '--work-dir',
        str(tmp_path / 'demo'), '--data',
        str(data), '--pretrain-epochs', '1', '--finetune-epochs', '1'
    ])
    assert data.is_file()
    assert (tmp_path / 'demo' / 'pretrain' / 'epoch_1.pth').is_file()
    assert (tmp_path / 'demo' / 'finetune' / 'epoch_1.pth').is_file()
    assert set(demo.METRICS) <= set(metrics)
    assert all(0 <= metrics[k] <= 1 for k in demo.METRICS)
    out = capsys.readouterr().out
    assert 'SYNTHETIC' in out
    # The fine-tuning loaded the pre-trained backbone, every weight of it.
    log = (tmp_path / 'demo' / 'finetune.log').read_text()
    assert 'in model from' in log
    assert 'missing keys' not in log
    pre_log = (tmp_path / 'demo' / 'pretrain.log').read_text()
    assert 'loss_motion' in pre_log and 'loss_align' in pre_log
