"""SLR500 (CSL isolated, 500 Chinese sign language words) dataset."""
from mmaction.registry import DATASETS
from .islr_dataset import ISLRDataset

__all__ = ['SLR500Dataset']


@DATASETS.register_module()
class SLR500Dataset(ISLRDataset):
    """SLR500: 500 CSL words by 50 signers; no class subsets.

    Labels are the CSL word ids (the ``000``-``499`` folders of the
    release, see ``tools/data/build_slr500.py``); the split is by signer.

    Args:
        ann_file (str): Path to the annotation pickle.
        pipeline (list[dict | callable]): Data transforms.
        **kwargs: See :class:`ISLRDataset` (``split``, ``class_list``,
            ``test_mode`` ...); ``subset`` must stay None.
    """

    NUM_CLASSES = 500
    SUBSETS = ()
