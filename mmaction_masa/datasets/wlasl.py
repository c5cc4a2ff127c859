"""WLASL (Word-Level American Sign Language) dataset."""
from mmaction.registry import DATASETS
from .islr_dataset import ISLRDataset

__all__ = ['WLASLDataset']


@DATASETS.register_module()
class WLASLDataset(ISLRDataset):
    """WLASL: 2000 ASL glosses, subsets WLASL100/300/1000/2000.

    Labels are the indices of ``wlasl_class_list.txt`` (the gloss order of
    ``WLASL_v0.3.json``). The official subset files ``nslt_K.json`` use the
    same class indices, and the classes of ``nslt_K.json`` are exactly the
    first ``K`` of the list: on the released metadata, ``nslt_K.json``
    equals the entries of ``nslt_2000.json`` with class ``< K`` for
    K = 100, 300 and 1000 (checked by the tests). So one annotation file of
    all 2000 classes (``tools/data/build_wlasl.py``) serves every subset:
    ``subset=K`` keeps the clips with ``label < K``, and a model for
    WLASL``K`` has ``K`` outputs.

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        subset (int, optional): 100, 300, 1000 or 2000 (WLASL100 ...);
            None keeps every clip (same as 2000). Defaults to None.
        **kwargs: See :class:`ISLRDataset` (``split``, ``class_list``,
            ``test_mode`` ...).
    """

    NUM_CLASSES = 2000
    SUBSETS = (100, 300, 1000, 2000)
