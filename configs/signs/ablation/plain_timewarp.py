# Recipe ablation on the test sources (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md): masa_finetune_signs35_plain.py
# + the recipe's RandomTimeWarp (speed 0.7-1.3) on the raw poses, before part
# normalisation and frame sampling, where the recipe puts it.
_base_ = [
    '../masa_finetune_signs35_plain.py', '../../_base_/recipes/sign_recipe.py'
]
# The plain training pipeline: SelectSignJoints, RandomMirror, PartNormalize,
# SignSampleFrames, PackSignInputs.
_plain = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(
    dataset=dict(pipeline=[*_plain[:2], _base_.recipe_time_warp, *_plain[2:]]))
