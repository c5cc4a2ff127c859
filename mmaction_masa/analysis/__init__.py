"""Research analyses of MASA, behind ``tools/analysis/`` and ``benchmarks/``.

They sit above :mod:`mmaction_masa.apis` (they load models and batch clips
with it) and are not needed to train, test or deploy a model:

* :mod:`.plots`: embeddings (t-SNE / PCA), confusion matrices, training
  curves;
* :mod:`.knn_probe`: the frozen-feature k-NN probe of a backbone;
* :mod:`.mask_statistics`: how many frames the motion-aware mask hides;
* :mod:`.motion_baselines`: MA's motion loss under rules that learn
  nothing, and one-batch learning curves;
* :mod:`.loss_balance`: the encoder gradient ratio of SA to MA;
* :mod:`.train_throughput`: clips/s of a config's data loading + train
  step.

Several modules are named after their main function
(``knn_probe.knn_probe``), so the package hands on the modules, not the
functions.
"""
from . import (knn_probe, loss_balance, mask_statistics, motion_baselines,
               plots, train_throughput)

__all__ = [
    'knn_probe', 'loss_balance', 'mask_statistics', 'motion_baselines',
    'plots', 'train_throughput'
]
