# Label-scarce fine-tuning on the 35-gloss task with 1 % of each gloss's
# training clips (RandomSubsetDataset per_class, seed 0, at least one per
# gloss: 100 clips, 1 to 21 per gloss), repeated 20 times per epoch: 300
# passes over them in the 15 epochs, about the steps of the 2 % config.
_base_ = ['masa_finetune_signs35_labels10pct.py']
train_dataloader = dict(dataset=dict(times=20, dataset=dict(fraction=0.01)))
