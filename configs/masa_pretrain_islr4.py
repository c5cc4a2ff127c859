# MASA pre-training as in the paper: the four benchmarks together (WLASL,
# MS-ASL, NMFs-CSL, SLR500; labels unused), every clip that is not test
# (train + val where the benchmark has a val split).
_base_ = ['masa_pretrain_wlasl.py']
data_root = 'data'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(
                type='WLASLDataset',
                ann_file=f'{data_root}/wlasl/wlasl2000.pkl',
                split=('train', 'val'),
                pipeline=_base_.pretrain_pipeline),
            dict(
                type='MSASLDataset',
                ann_file=f'{data_root}/msasl/msasl1000.pkl',
                split=('train', 'val'),
                pipeline=_base_.pretrain_pipeline),
            dict(
                type='NMFsCSLDataset',
                ann_file=f'{data_root}/nmfs_csl/nmfs_csl.pkl',
                split='train',
                pipeline=_base_.pretrain_pipeline),
            dict(
                type='SLR500Dataset',
                ann_file=f'{data_root}/slr500/slr500.pkl',
                split='train',
                pipeline=_base_.pretrain_pipeline),
        ]))
