# Recipe ablation at 2 % of the labels (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md):
# masa_finetune_signs35_labels2pct.py + the recipe's RandomTimeWarp on the raw
# poses, before part normalisation and frame sampling, where the recipe puts
# it.
_base_ = [
    '../masa_finetune_signs35_labels2pct.py',
    '../../_base_/recipes/sign_recipe.py'
]
# The plain training pipeline (under RepeatDataset and RandomSubsetDataset):
# SelectSignJoints, RandomMirror, PartNormalize, SignSampleFrames,
# PackSignInputs.
_plain = _base_.train_dataloader.dataset.dataset.dataset.pipeline
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            dataset=dict(
                pipeline=[*_plain[:2], _base_.recipe_time_warp, *_plain[2:]
                          ]))))
