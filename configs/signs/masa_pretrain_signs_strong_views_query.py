# MASA corpus pre-training with strong views on both sides (ours, the
# recognition recipe): masa_pretrain_signs_strong_views.py (the key view
# through RandomPoseAffine + RandomJointDrop), and the query too: the
# recipe's RandomPoseAffine on the whole part-normalised clip before
# MotionAwareMask. MA's motion target is then computed on the augmented clip
# the online encoder sees (a target of its own input, as with the paper's
# views); the key view is drawn from that augmented clip by
# RandomTemporalSample and gets its own affine and joint drop on top, so the
# two views differ by two independent affine draws.
_base_ = [
    'masa_pretrain_signs_strong_views.py', '../_base_/recipes/sign_recipe.py'
]
_pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(
    dataset=dict(
        pipeline=[*_pipeline[:4], _base_.recipe_pose_affine, *_pipeline[4:]]))
