"""MS-ASL (Microsoft American Sign Language) dataset."""
from mmaction.registry import DATASETS
from .islr_dataset import ISLRDataset

__all__ = ['MSASLDataset']


@DATASETS.register_module()
class MSASLDataset(ISLRDataset):
    """MS-ASL: 1000 ASL classes, subsets MSASL100/200/1000.

    Labels are those of ``MS_ASL_SI_ASL1000_{train,val,test}.json``;
    MSASL100 and MSASL200 are the classes with label < 100 and < 200
    (``tools/data/build_msasl.py``), so ``subset=K`` keeps the clips with
    ``label < K`` and a model for MSASL``K`` has ``K`` outputs.

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        subset (int, optional): 100, 200 or 1000; None keeps every clip
            (same as 1000). Defaults to None.
        **kwargs: See :class:`ISLRDataset` (``split``, ``class_list``,
            ``test_mode`` ...).
    """

    NUM_CLASSES = 1000
    SUBSETS = (100, 200, 1000)
