# Label-scarce fine-tuning on the 35-gloss task: 10 % of each gloss's
# training clips (RandomSubsetDataset per_class, seed 0: the same 995 clips, 9
# to 213 per gloss, for every run and every training seed), repeated 3 times
# per epoch, so that the 15 epochs are 45 passes over them (30 % of the full
# task's steps); the test set is the full one. Pre-trained or from scratch
# as masa_finetune_signs35_plain.py (the paper's fine-tuning recipe).
_base_ = ['masa_finetune_signs35_plain.py']
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='RepeatDataset',
        times=3,
        dataset=dict(
            type='RandomSubsetDataset',
            fraction=0.10,
            seed=0,
            per_class=True,
            dataset=_base_.train_dataloader.dataset)))
