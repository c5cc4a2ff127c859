"""SA's gradient is within two orders of magnitude of MA's at
initialisation with the default loss, and is not with the literal Eq. 4."""
import pytest
import torch
from mmengine.config import Config

from mmaction_masa.analysis.loss_balance import measure_loss_balance

CONFIG = 'configs/masa_pretrain_wlasl.py'


def _ratio(repo_root, shared_data, **loss):
    cfg = Config.fromfile(str(repo_root / CONFIG))
    cfg.model.mask_head.loss.update(loss)
    torch.set_num_threads(2)
    return measure_loss_balance(
        cfg,
        str(shared_data / 'real' / 'wlasl50_dev.pkl'),
        split='train',
        batch_size=8,
        num_batches=1,
        queue_batches=4)


@pytest.fixture(scope='module')
def default(repo_root, shared_data):
    return _ratio(repo_root, shared_data)


def test_default_ratio_is_within_two_orders(default):
    assert 1e-2 <= default['ratio'] <= 1e2, default
    # lambda_s L_s is InfoNCE over 6,144 real keys times 0.05.
    assert 0 < default['loss_align'] < 0.05 * 9


def test_literal_eq4_mutes_sa(repo_root, shared_data, default):
    literal = _ratio(
        repo_root, shared_data, coord_scale=1.0, coord_reduction='sum')
    # Same batch, same SA term: only the unit of L_m differs.
    assert literal['grad_align'] == pytest.approx(default['grad_align'])
    assert literal['ratio'] < 1e-3
    assert literal['loss_motion'] > 1e4
