# ST-GCN++ on the validation split of the 35-gloss task (see
# masa_finetune_signs35_val.py): 103 training sources, 26 held out.
_base_ = ['stgcnpp_signs35.py']
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
