"""Pre-training health monitor: k-NN accuracy and effective rank of the
backbone's pooled features on a labelled probe set."""
from typing import Dict, Union

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.utils.data import DataLoader

from mmaction.registry import HOOKS
from ...evaluation.representation import effective_rank, knn_accuracy

__all__ = ['RepresentationMonitorHook']


@HOOKS.register_module()
class RepresentationMonitorHook(Hook):
    """Log how healthy the pre-trained representation is, every
    ``interval`` epochs and before training (the k-NN monitors of MoCo /
    DINO).

    The model's ``predict`` (MASA: the backbone output averaged over time,
    ``pred_feat``) runs in eval mode on every clip of ``dataloader`` (a
    labelled probe set, e.g. the test pipeline on a small benchmark); the
    hook logs ``monitor/knn_top1`` (leave-one-out weighted k-NN,
    :func:`knn_accuracy`) and ``monitor/eff_rank``
    (:func:`effective_rank` of the features) to the MMEngine log and every
    visualiser backend, with the epoch as the step (plotted by
    ``tools/analysis/plot_curves.py``). A collapsed representation (every
    clip mapped to nearly the same feature) shows as an effective rank near
    1 or below, in the epoch it happens.

    Args:
        dataloader (dict | DataLoader): The probe set's dataloader (config
            as for ``val_dataloader``); labels are needed.
        interval (int): Epochs between measurements. Defaults to 1.
        k (int): Neighbours of the k-NN vote. Defaults to 5.
        temperature (float): k-NN vote temperature. Defaults to 0.07.
    """

    priority = 'LOW'

    def __init__(self,
                 dataloader: Union[Dict, DataLoader],
                 interval: int = 1,
                 k: int = 5,
                 temperature: float = 0.07) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.dataloader = dataloader
        self.interval = interval
        self.k = k
        self.temperature = temperature

    def before_train(self, runner) -> None:
        """Build the probe loader; measure the initial representation."""
        if isinstance(self.dataloader, dict):
            self.dataloader = runner.build_dataloader(
                self.dataloader, seed=runner.seed)
        self._log(runner, self.measure(runner.model), runner.epoch)

    def after_train_epoch(self, runner) -> None:
        """Measure every ``interval`` epochs."""
        if self.every_n_epochs(runner, self.interval):
            self._log(runner, self.measure(runner.model), runner.epoch + 1)

    @torch.no_grad()
    def measure(self, model: torch.nn.Module) -> Dict[str, float]:
        """The probe figures of ``model``.

        Args:
            model (nn.Module): The (possibly wrapped) model.

        Returns:
            dict[str, float]: ``monitor/knn_top1`` and ``monitor/eff_rank``.
        """
        model = model.module if is_model_wrapper(model) else model
        was_training = model.training
        model.eval()
        features, labels = [], []
        try:
            for batch in self.dataloader:
                batch = model.data_preprocessor(batch, False)
                for sample in model(**batch, mode='predict'):
                    features.append(sample.pred_feat.float().cpu())
                    labels.append(int(sample.gt_label))
        finally:
            model.train(was_training)
        features = torch.stack(features)
        return {
            'monitor/knn_top1':
            knn_accuracy(features, torch.tensor(labels), self.k,
                         self.temperature),
            'monitor/eff_rank':
            effective_rank(features)
        }

    @staticmethod
    def _log(runner, scalars: Dict[str, float], epoch: int) -> None:
        """Write the figures to the log and the visualiser backends."""
        runner.visualizer.add_scalars(scalars, step=epoch)
        runner.logger.info(f'Epoch {epoch} representation: ' +
                           ', '.join(f'{key} {value:.4f}'
                                     for key, value in scalars.items()))
