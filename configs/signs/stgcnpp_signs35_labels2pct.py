# MMAction2's ST-GCN++ (base width 32) on the label-scarce 35-gloss task: the
# same 2 % of each gloss's training clips as
# masa_finetune_signs35_labels2pct.py (RandomSubsetDataset per_class, seed 0:
# 198 clips), repeated 10 times per epoch; the full test set.
_base_ = ['stgcnpp_signs35.py']
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='RepeatDataset',
        times=10,
        dataset=dict(
            type='RandomSubsetDataset',
            fraction=0.02,
            seed=0,
            per_class=True,
            dataset=_base_.train_dataloader.dataset)))
