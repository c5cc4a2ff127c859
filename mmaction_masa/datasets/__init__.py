"""ISLR pose datasets, their transforms and annotation converters."""
from . import samplers, transforms  # noqa: F401
from .islr_dataset import ISLRDataset
from .msasl import MSASLDataset
from .nmfs_csl import NMFsCSLDataset
from .random_subset import RandomSubsetDataset
from .samplers import LengthGroupedBatchSampler
from .slr500 import SLR500Dataset
from .source_split import SourceSplitDataset
from .validation import (MAX_SCORE, UNLABELLED, AnnotationError,
                         load_annotation_file, read_class_list,
                         sanitize_annotation)
from .wlasl import WLASLDataset

__all__ = [
    'samplers', 'transforms', 'AnnotationError', 'ISLRDataset', 'MSASLDataset',
    'NMFsCSLDataset', 'SLR500Dataset', 'WLASLDataset', 'RandomSubsetDataset',
    'SourceSplitDataset', 'LengthGroupedBatchSampler', 'MAX_SCORE',
    'UNLABELLED', 'load_annotation_file', 'read_class_list',
    'sanitize_annotation'
]
