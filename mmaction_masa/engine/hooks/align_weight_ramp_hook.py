"""Linear warm-up of MASA's alignment loss weight lambda_s (Eq. 9)."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS

__all__ = ['AlignWeightRampHook']


@HOOKS.register_module()
class AlignWeightRampHook(Hook):
    """Ramp ``model.align_weight`` (lambda_s) linearly from 0 to
    ``max_weight`` over the first ``ramp_epochs``, then keep it constant
    (paper: 0 -> 0.05 over the first 100 epochs).

    Before every training iteration the weight is set from the training
    progress, interpolated within the epoch
    (``epoch + batch_idx / len(train_dataloader)``) when ``by_epoch``, or
    from the iteration count (``ramp_epochs`` then counts iterations) when
    not; it is logged as ``train/align_weight``.

    Args:
        max_weight (float): Final lambda_s. Defaults to 0.05.
        ramp_epochs (float): Length of the ramp in epochs (iterations when
            ``by_epoch=False``); 0 = constant ``max_weight``.
            Defaults to 100.
        by_epoch (bool): Measure progress in epochs. Defaults to True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 max_weight: float = 0.05,
                 ramp_epochs: float = 100,
                 by_epoch: bool = True) -> None:
        if ramp_epochs < 0:
            raise ValueError(f'ramp_epochs must be >= 0, got {ramp_epochs}')
        self.max_weight = max_weight
        self.ramp_epochs = ramp_epochs
        self.by_epoch = by_epoch

    def weight_at(self, progress: float) -> float:
        """lambda_s after ``progress`` epochs (or iterations)."""
        if progress >= self.ramp_epochs:
            return self.max_weight
        return self.max_weight * progress / self.ramp_epochs

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Set and log lambda_s for this iteration."""
        if self.by_epoch:
            progress = runner.epoch + batch_idx / len(runner.train_dataloader)
        else:
            progress = runner.iter
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        weight = self.weight_at(progress)
        model.align_weight = weight
        runner.message_hub.update_scalar('train/align_weight', weight)
