"""Small helpers shared by MASA's modules."""
from typing import Dict, List, Optional, Union

import torch.nn as nn

__all__ = ['xavier_init_', 'loads_pretrained']


def xavier_init_(module: nn.Module) -> None:
    """Xavier-uniform init of every parameter with more than one dimension
    (the authors' released init), leaving vectors (biases, norms) alone."""
    for param in module.parameters():
        if param.dim() > 1:
            nn.init.xavier_uniform_(param)


def loads_pretrained(init_cfg: Optional[Union[Dict, List[Dict]]]) -> bool:
    """Whether an ``init_cfg`` (dict or list of dicts) loads a checkpoint."""
    cfgs = init_cfg if isinstance(init_cfg, list) else [init_cfg]
    return any(
        isinstance(cfg, dict) and cfg.get('type') == 'Pretrained'
        for cfg in cfgs)
