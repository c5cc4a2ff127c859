"""Linear probing before fine-tuning (LP-FT): the backbone stays frozen for
the first epochs of a fine-tuning (ours; the paper fine-tunes everything
from the first step)."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmaction.registry import HOOKS

__all__ = ['FreezeBackboneHook']


@HOOKS.register_module()
class FreezeBackboneHook(Hook):
    """Freeze ``model.<module>`` for the first ``epochs`` training epochs.

    LP-FT (Kumar et al., "Fine-Tuning can Distort Pretrained Features and
    Underperform Out-of-Distribution", ICLR 2022): a classifier trained on
    frozen pre-trained features first, then everything fine-tuned, so that
    the first gradients into the backbone come from a fitted head rather
    than a random one. While frozen, the module's parameters do not require
    gradients (the optimizer skips them: no update, no weight decay, no
    momentum) and the module runs in eval mode (fixed BatchNorm statistics,
    no dropout: a true linear probe of the pre-trained features); from epoch
    ``epochs`` on it trains as usual (parameters that were already frozen
    before, e.g. by the model itself, stay frozen). The state follows
    ``runner.epoch``, so a resumed run continues in the right phase.
    ``epochs=0`` leaves the fine-tuning unchanged (no parameter touched).

    Args:
        epochs (int): Epochs with the module frozen. Defaults to 0.
        module (str): Attribute of the model to freeze. Defaults to
            'backbone'.
    """

    priority = 'NORMAL'

    def __init__(self, epochs: int = 0, module: str = 'backbone') -> None:
        if epochs < 0:
            raise ValueError(f'epochs must be >= 0, got {epochs}')
        self.epochs = epochs
        self.module = module
        self._frozen_params: list = []

    def _target(self, runner):
        """The module to freeze."""
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        if not hasattr(model, self.module):
            raise AttributeError(f'FreezeBackboneHook: the model '
                                 f'{type(model).__name__} has no '
                                 f'{self.module!r}')
        return getattr(model, self.module)

    def frozen(self, epoch: int) -> bool:
        """Whether the module is frozen during ``epoch`` (0-based)."""
        return epoch < self.epochs

    def before_train_epoch(self, runner) -> None:
        """Freeze the module's trainable parameters for this epoch, or give
        back the ones this hook froze (parameters frozen by anything else
        stay frozen)."""
        frozen = self.frozen(runner.epoch)
        if frozen and not self._frozen_params:
            self._frozen_params = [
                p for p in self._target(runner).parameters() if p.requires_grad
            ]
            for param in self._frozen_params:
                param.requires_grad_(False)
        elif not frozen:
            for param in self._frozen_params:
                param.requires_grad_(True)
            self._frozen_params = []
        runner.message_hub.update_scalar('train/backbone_frozen',
                                         float(frozen))

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Keep a frozen module in eval mode (the loop calls
        ``model.train()`` after ``before_train_epoch``)."""
        if self.frozen(runner.epoch):
            self._target(runner).eval()
