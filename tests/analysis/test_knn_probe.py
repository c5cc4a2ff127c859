"""k-NN probe of a backbone on the tiny config's task (``wlasl50_dev.pkl``:
158 training and 54 test clips of 25 glosses)."""
import copy

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmaction_masa.analysis.knn_probe import (build_probe_backbone, knn_probe,
                                              probe_datasets)
from mmaction_masa.apis.checkpoint_fit import CheckpointMismatchError
from tests.tools.conftest import EMBED_DIMS


@pytest.fixture
def probe_cfg(tiny_config) -> Config:
    return Config.fromfile(str(tiny_config))


def test_probe_datasets_use_the_test_pipeline(probe_cfg):
    bank, queries = probe_datasets(probe_cfg)
    assert (len(bank), len(queries)) == (158, 54)
    assert bank.test_mode and queries.test_mode
    # The bank's clips are sampled like the test clips (centre, 16 frames),
    # the same on every read.
    first, again = bank[0], bank[0]
    assert first['inputs'].shape == (1, 1, 16, 49, 3)  # clips, M, T, V, C
    assert torch.equal(first['inputs'], again['inputs'])


def test_a_label_scarce_bank_keeps_the_subset_not_the_repeats(probe_cfg):
    # As configs/signs/masa_finetune_signs35_labels10pct.py: the bank is the
    # labelled subset (half of each gloss's clips), each clip once.
    train = probe_cfg.train_dataloader.dataset
    probe_cfg.train_dataloader.dataset = dict(
        type='RepeatDataset',
        times=3,
        dataset=dict(
            type='RandomSubsetDataset',
            fraction=0.5,
            per_class=True,
            dataset=train))
    before = copy.deepcopy(probe_cfg.train_dataloader.dataset)
    bank, queries = probe_datasets(probe_cfg)
    assert probe_cfg.train_dataloader.dataset == before  # not changed
    assert type(bank).__name__ == 'RandomSubsetDataset'
    # 158 clips of 25 glosses (3 to 10 each, 8 odd counts): half of each,
    # rounded up, is (158 + 8) / 2 = 83.
    counts = np.bincount(
        [bank.dataset.get_data_info(i)['label'] for i in range(158)])
    assert (len(counts), (counts % 2).sum()) == (25, 8)
    assert len(bank) == 83
    assert bank.dataset.test_mode and len(queries) == 54
    assert bank[0]['inputs'].shape == (1, 1, 16, 49, 3)


def test_a_query_set_equal_to_the_bank_is_recognised_exactly(probe_cfg):
    # With the training clips as queries, each clip's nearest neighbour
    # (k = 1) is itself at cosine 1: every prediction is right.
    probe_cfg.test_dataloader.dataset.split = 'train'
    result = knn_probe(probe_cfg, k=1)
    assert result['bank'] == result['query'] == 158
    assert result['top1'] == result['class_top1'] == 1.0


def test_a_checkpoint_loads_into_the_backbone(probe_cfg, tmp_path):
    # A MASA-style checkpoint holding a random backbone (seed 3) probes
    # exactly like that random initialisation, not like seed 0's.
    source = build_probe_backbone(probe_cfg, seed=3)
    state = {
        f'backbone.{k}': v
        for k, v in source.backbone.state_dict().items()
    }
    state['neck.weight'] = torch.zeros(1)  # other parts are ignored
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=state, meta={}), path)
    loaded = knn_probe(probe_cfg, str(path))
    assert loaded == knn_probe(probe_cfg, seed=3)
    assert loaded != knn_probe(probe_cfg, seed=0)
    assert 0 < loaded['eff_rank'] <= EMBED_DIMS


def test_a_checkpoint_of_another_backbone_is_refused(probe_cfg, tmp_path):
    state = build_probe_backbone(probe_cfg).backbone.state_dict()
    del state['pos_embed']  # e.g. a sine-cosine (non-persistent) table
    path = tmp_path / 'sincos.pth'
    torch.save({f'backbone.{k}': v for k, v in state.items()}, path)
    with pytest.raises(CheckpointMismatchError, match='sincos.pth.*pos_embed'):
        build_probe_backbone(probe_cfg, str(path))
