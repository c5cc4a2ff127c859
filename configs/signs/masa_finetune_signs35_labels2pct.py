# Label-scarce fine-tuning on the 35-gloss task with 2 % of each gloss's
# training clips (198 clips, 2 to 43 per gloss), repeated 10 times per epoch:
# 150 passes over them in the 15 epochs (20 % of the full task's steps).
_base_ = ['masa_finetune_signs35_labels10pct.py']
train_dataloader = dict(dataset=dict(times=10, dataset=dict(fraction=0.02)))
