# MMAction2's ST-GCN++ (base width 32) on the signer-independent 35-gloss task
# of ../shared/data/real/signs_multisigner_dev.pkl, same data and mirroring as
# configs/signs/masa_finetune_signs35_plain.py (the paper's recipe; with ours:
# stgcnpp_signs35_recipe.py).
_base_ = [
    '../_base_/stgcnpp_small.py',
    '../_base_/schedules/stgcnpp_sgd_cosine_15e.py'
]
ann_file = '../shared/data/real/signs_multisigner_dev.pkl'
model = dict(cls_head=dict(num_classes=35))
_dataset = dict(ann_file=ann_file, num_classes=339, subset=35)
train_dataloader = dict(
    dataset=dict(
        _dataset,
        pipeline=[
            dict(type='SelectSignJoints'),
            dict(type='RandomMirror', prob=0.5), *_base_.train_pipeline[1:]
        ]))
test_dataloader = dict(dataset=_dataset)
# No val split: no validation, the last checkpoint (never select on test);
# stgcnpp_signs35_val.py holds training sources out.
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=_base_.max_epochs))
