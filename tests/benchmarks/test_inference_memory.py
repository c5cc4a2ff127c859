"""``benchmarks/inference_memory.py``: the tiny recognizer it measures."""
from typing import Dict, List

from benchmarks.inference_memory import TINY_CONFIG, tiny_config


def _samplers(cfg) -> List[Dict]:
    """The ``SignSampleFrames`` steps of the config's test pipeline."""
    return [
        transform for transform in cfg.test_dataloader.dataset.pipeline
        if transform['type'] == 'SignSampleFrames'
    ]


def test_tiny_config_sets_classes_and_test_frames():
    cfg = tiny_config(7, clip_len=12)
    assert cfg.model.cls_head.num_classes == 7
    samplers = _samplers(cfg)
    assert [transform['clip_len'] for transform in samplers] == [12]
    assert samplers[0]['test_mode'] is True


def test_tiny_config_default_is_16_frames():
    cfg = tiny_config(3)
    assert [transform['clip_len'] for transform in _samplers(cfg)] == [16]
    assert TINY_CONFIG.endswith('configs/dev/masa_finetune_tiny.py')
