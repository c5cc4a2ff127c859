"""Runner set-up shared by the train and test entry points: the label
space of ISLR datasets, CPU (gloo) distributed ranks and the Runner itself.

``import mmaction_masa`` (done by this package) applies the stack fixes and
registers every module, so configs without ``custom_imports`` work too.
"""
import datetime

import torch.distributed as torch_dist
from mmengine.config import Config, ConfigDict
from mmengine.device import get_device
from mmengine.logging import print_log
from mmengine.registry import MODEL_WRAPPERS
from mmengine.runner import Runner
from torch.nn.parallel import DistributedDataParallel

from mmaction.registry import DATASETS, RUNNERS
from ..datasets import ISLRDataset

__all__ = [
    'ACCELERATORS', 'CPU_LAUNCHERS', 'head_label_space',
    'setup_cpu_distributed', 'build_runner'
]

#: Devices on which mmengine's AmpOptimWrapper and all launchers run.
ACCELERATORS = ('cuda', 'npu', 'mlu', 'musa')
#: Launchers that also run on CPU (gloo backend, see
#: :func:`setup_cpu_distributed`); torchrun sets their environment.
CPU_LAUNCHERS = ('none', 'pytorch')


def head_label_space(cfg: Config) -> Config:
    """Give ISLR datasets without a label space the classifier's.

    A dataset with ``num_classes=None`` (and no ``subset``) takes
    ``max(label) + 1`` from its file, so a label beyond the head's classes
    would only fail at the first iteration (an ``IndexError`` naming
    nothing). With the head's ``num_classes`` the dataset rejects it when
    it is built (``AnnotationError`` naming file, sample and field).

    Args:
        cfg (Config): the merged config (updated in place).

    Returns:
        Config: ``cfg``.
    """
    num_classes = (cfg.get('model') or {}).get('cls_head', {}) or {}
    num_classes = num_classes.get('num_classes')
    if num_classes is None:
        return cfg
    for split in ('train', 'val', 'test'):
        dataset = (cfg.get(f'{split}_dataloader') or {}).get('dataset')
        if not dataset or dataset.get('num_classes') is not None or (
                dataset.get('subset') is not None):
            continue
        dataset_type = DATASETS.get(dataset.get('type'))
        if (isinstance(dataset_type, type)
                and issubclass(dataset_type, ISLRDataset)
                and dataset_type.NUM_CLASSES is None):
            dataset.num_classes = num_classes
    return cfg


def setup_cpu_distributed(cfg: Config) -> None:
    """Prepare MMEngine's DDP for CPU-only ranks (gloo backend).

    mmengine binds every rank to an accelerator: ``init_dist`` calls
    ``torch.cuda.set_device`` and the default DDP wrapper passes
    ``device_ids=[LOCAL_RANK]``; both fail on CPU. Here the gloo process
    group is initialised from torchrun's environment (``RANK``,
    ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``), so the Runner skips
    ``init_dist``, and the DDP wrapper gets ``device_ids=None`` (the CPU
    form). ``env_cfg.dist_cfg.backend`` is set to ``'gloo'`` (NCCL needs
    GPUs); its ``timeout`` (seconds) is kept.

    Args:
        cfg (Config): the merged config (``launcher == 'pytorch'``);
            ``env_cfg`` and ``model_wrapper_cfg`` are updated in place.
    """
    dist_cfg = cfg.setdefault('env_cfg',
                              ConfigDict()).setdefault('dist_cfg',
                                                       ConfigDict())
    if dist_cfg.get('backend', 'gloo') != 'gloo':
        print_log(
            f'CPU ranks: dist_cfg.backend {dist_cfg.backend!r} -> gloo',
            logger='current')
    dist_cfg.backend = 'gloo'
    if not torch_dist.is_initialized():
        timeout = dist_cfg.get('timeout')
        kwargs = {} if timeout is None else dict(
            timeout=datetime.timedelta(seconds=timeout))
        torch_dist.init_process_group(backend='gloo', **kwargs)
    wrapper = cfg.get('model_wrapper_cfg') or ConfigDict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper_type = wrapper.get('type', 'MMDistributedDataParallel')
    if issubclass(MODEL_WRAPPERS.get(wrapper_type), DistributedDataParallel):
        wrapper.setdefault('device_ids', None)
    cfg.model_wrapper_cfg = wrapper


def build_runner(cfg: Config) -> Runner:
    """The Runner of a merged config (CPU ranks prepared first).

    Args:
        cfg (Config): the merged config.

    Returns:
        Runner: built from ``runner_type`` when the config names one.
    """
    if cfg.launcher != 'none' and get_device() not in ACCELERATORS:
        setup_cpu_distributed(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
