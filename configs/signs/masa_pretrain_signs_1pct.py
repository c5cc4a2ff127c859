# Data-scale curve: pre-train on a seeded random 1 % of the corpus's
# 'pretrain' clips, repeated 100 times per epoch so that an epoch has as many
# optimisation steps as on the whole corpus (masa_pretrain_signs.py).
_base_ = ['masa_pretrain_signs.py']
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='RepeatDataset',
        times=100,
        dataset=dict(
            type='RandomSubsetDataset',
            fraction=0.01,
            seed=0,
            dataset=_base_.train_dataloader.dataset)))
