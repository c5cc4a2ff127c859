"""k-NN probe of a backbone on a labelled task, without fine-tuning.

The standard frozen-feature evaluation of self-supervised learning (the
weighted k-NN of InstDisc / DINO): the backbone of a fine-tuning config,
loaded from a pre-training (or any) checkpoint, embeds every clip of the
config's training set and test set with the *test* pipeline (pooled over
time, :func:`~mmaction_masa.analysis.plots.pooled_features`); each test
clip is classified by the votes of its ``k`` most cosine-similar training
clips (:func:`~mmaction_masa.evaluation.knn_votes`) and scored like a
recognizer (:func:`~mmaction_masa.evaluation.islr_accuracy`: P-I and P-C
top-1 / top-5). It reads a checkpoint in the minutes a fine-tuning takes
hours for, on the whole test set of the task.
"""
import copy
import logging
from contextlib import contextmanager
from typing import Dict, Iterator, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from torch.utils.data import Dataset

from mmaction.registry import DATASETS, MODELS
from ..apis.checkpoint_fit import check_checkpoint_fits, checkpoint_state_dict
from ..apis.export import backbone_state_dict, load_training_checkpoint
from ..apis.inference import iter_batches
from ..evaluation import effective_rank, islr_accuracy, knn_votes
from .plots import pooled_features

__all__ = [
    'build_probe_backbone', 'probe_datasets', 'bank_config',
    'dataset_features', 'knn_probe'
]


@contextmanager
def _quiet_mmengine() -> Iterator[None]:
    """Hold mmengine's current logger at WARNING (its INFO lines would mix
    with the probe's output)."""
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def build_probe_backbone(cfg: Config,
                         checkpoint: Optional[str] = None,
                         seed: int = 0) -> nn.Module:
    """The config's recognizer with its backbone's weights from
    ``checkpoint`` (its ``backbone.*`` keys, as fine-tuning loads them, but
    strictly), in eval mode.

    Args:
        cfg (Config): A fine-tuning config (``model`` is a recognizer).
        checkpoint (str, optional): A MASA pre-training or recognizer
            checkpoint; None keeps the backbone's random initialisation
            (drawn with ``seed``). Defaults to None.
        seed (int): Seed of the random initialisation. Defaults to 0.

    Returns:
        nn.Module: The recognizer (its head is not used).

    Raises:
        KeyError: the checkpoint has no ``backbone.*`` keys.
        CheckpointMismatchError: the checkpoint's backbone weights do not
            fit the config's backbone (e.g. a sine-cosine checkpoint under a
            learned position table).
    """
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = None
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(seed)
    model = MODELS.build(model_cfg)
    with _quiet_mmengine():  # init_weights lists every parameter
        model.init_weights()
    if checkpoint is not None:
        with _quiet_mmengine():  # the loader's 'Loads checkpoint by ...'
            loaded = load_training_checkpoint(checkpoint)
        backbone = backbone_state_dict(checkpoint_state_dict(loaded))
        check_checkpoint_fits(model.backbone, backbone, checkpoint)
        model.backbone.load_state_dict(backbone)
    return model.eval()


def probe_datasets(cfg: Config) -> Tuple[Dataset, Dataset]:
    """The bank (the training set, with the test pipeline and test mode)
    and the queries (the test set) of a fine-tuning config.

    Args:
        cfg (Config): A fine-tuning config with ``train_dataloader`` and
            ``test_dataloader``.

    Returns:
        tuple[Dataset, Dataset]: Bank and queries.
    """
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    test_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    bank_cfg = bank_config(cfg.train_dataloader.dataset, test_cfg.pipeline)
    with _quiet_mmengine():  # e.g. ISLRDataset's note on a class subset
        return DATASETS.build(bank_cfg), DATASETS.build(test_cfg)


def bank_config(train_dataset: ConfigDict, pipeline: list) -> ConfigDict:
    """The training set's config as a k-NN bank: the innermost dataset
    gets ``pipeline`` and ``test_mode``; dataset wrappers are kept (e.g.
    ``RandomSubsetDataset``: the same labelled clips as the fine-tuning),
    except ``RepeatDataset``, whose copies would give each clip several of
    the ``k`` votes.

    Args:
        train_dataset (ConfigDict): ``train_dataloader.dataset``.
        pipeline (list): The test pipeline.

    Returns:
        ConfigDict: A new config (the arguments are not changed).
    """
    bank = copy.deepcopy(train_dataset)
    while bank.get('type') == 'RepeatDataset':
        bank = bank.dataset
    inner = bank
    while 'dataset' in inner:
        inner = inner.dataset
    inner.pipeline = copy.deepcopy(pipeline)
    inner.test_mode = True
    return bank


def dataset_features(
        model: nn.Module,
        dataset: Dataset,
        batch_size: int = 64) -> Tuple[torch.Tensor, torch.Tensor]:
    """Pooled backbone features and labels of every sample of a dataset.

    Args:
        model (nn.Module): A recognizer in eval mode.
        dataset (Dataset): Samples packed by the test pipeline.
        batch_size (int): Samples per forward pass. Defaults to 64.

    Returns:
        tuple[Tensor, Tensor]: ``(N, D)`` float32 features and ``(N,)``
        int64 labels.

    Raises:
        ValueError: the dataset is empty.
    """
    if len(dataset) == 0:
        raise ValueError('dataset_features: the dataset has no samples')
    features, labels = [], []
    for indices in iter_batches(range(len(dataset)), batch_size):
        packed = [dataset[i] for i in indices]
        features.append(pooled_features(model, packed))
        labels.extend(int(s['data_samples'].gt_label) for s in packed)
    return torch.cat(features), torch.tensor(labels, dtype=torch.long)


def knn_probe(cfg: Config,
              checkpoint: Optional[str] = None,
              k: int = 20,
              temperature: float = 0.07,
              batch_size: int = 64,
              seed: int = 0) -> Dict[str, float]:
    """k-NN accuracy of a checkpoint's backbone on a fine-tuning config's
    task (training set -> test set).

    Args:
        cfg (Config): The fine-tuning config (model, training and test set).
        checkpoint (str, optional): Backbone weights (see
            :func:`build_probe_backbone`); None = random initialisation.
        k (int): Neighbours. Defaults to 20 (DINO's).
        temperature (float): Vote temperature. Defaults to 0.07.
        batch_size (int): Clips per forward pass. Defaults to 64.
        seed (int): Seed of a random initialisation. Defaults to 0.

    Returns:
        dict[str, float]: ``top1``, ``top5``, ``class_top1``,
        ``class_top5`` (fractions), ``eff_rank`` of the test features and
        the numbers of ``bank`` and ``query`` clips.

    Raises:
        ValueError: unlabelled training or test clips.
    """
    model = build_probe_backbone(cfg, checkpoint, seed)
    bank, queries = probe_datasets(cfg)
    bank_x, bank_y = dataset_features(model, bank, batch_size)
    query_x, query_y = dataset_features(model, queries, batch_size)
    if int(query_y.min()) < 0:
        test = cfg.test_dataloader.dataset
        raise ValueError(f'knn_probe: the test set {test.get("ann_file")} '
                         f'(split {test.get("split")!r}) has unlabelled '
                         'clips (label -1)')
    votes = knn_votes(bank_x, bank_y, query_x, k, temperature)
    num_classes = max(votes.shape[1], int(query_y.max()) + 1)
    scores = torch.zeros(len(query_x), num_classes, dtype=torch.float64)
    scores[:, :votes.shape[1]] = votes
    results = islr_accuracy(scores.numpy(), query_y.numpy(), (1, 5))
    results.update(
        eff_rank=effective_rank(query_x),
        bank=float(len(bank_x)),
        query=float(len(query_x)))
    return results
