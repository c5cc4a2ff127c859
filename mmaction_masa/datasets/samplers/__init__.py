"""Data samplers."""
from .length_grouped_batch_sampler import (LengthGroupedBatchSampler,
                                           clip_lengths)

__all__ = ['LengthGroupedBatchSampler', 'clip_lengths']
