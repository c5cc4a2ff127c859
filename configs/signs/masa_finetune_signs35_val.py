# The 35-gloss task's validation split, for choosing a recipe without the
# test signers: 20 % of the 129 training sources (26, drawn with seed 0 by
# SourceSplitDataset) are held out and tested on; the model trains on the
# clips of the other 103. Same recipe as masa_finetune_signs35_plain.py. Every
# choice of the recipe (configs/signs/val/) is made on this split.
_base_ = ['masa_finetune_signs35_plain.py']
_split = dict(type='SourceSplitDataset', fraction=0.2, seed=0)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        **_split,
        part='train',
        dataset=_base_.train_dataloader.dataset))
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        **_split,
        part='val',
        dataset=dict(_base_.test_dataloader.dataset, split='train')))
