# Recipe ablation at 2 % of the labels (one ingredient added to the plain
# recipe, 3 seeds; docs/en/results/recipe.md):
# masa_finetune_signs35_labels2pct.py + the recipe's RandomPoseAffine on the
# part-normalised 32-frame clip, where the recipe puts it.
_base_ = [
    '../masa_finetune_signs35_labels2pct.py',
    '../../_base_/recipes/sign_recipe.py'
]
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            dataset=dict(pipeline=[
                dict(type='SelectSignJoints'),
                dict(type='RandomMirror', prob=0.5),
                dict(type='PartNormalize'),
                dict(type='SignSampleFrames', clip_len=32),
                _base_.recipe_pose_affine,
                dict(type='PackSignInputs')
            ]))))
