# Recipe ablation on the test sources (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md): masa_finetune_signs35_plain.py
# + the recipe's RandomPoseAffine (its defaults: whole pose and each hand) on
# the part-normalised 32-frame clip, where the recipe puts it.
_base_ = [
    '../masa_finetune_signs35_plain.py', '../../_base_/recipes/sign_recipe.py'
]
# The plain training pipeline: SelectSignJoints, RandomMirror, PartNormalize,
# SignSampleFrames, PackSignInputs.
_plain = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(
    dataset=dict(
        pipeline=[*_plain[:-1], _base_.recipe_pose_affine, _plain[-1]]))
