"""Test (and evaluate) a checkpoint with an MMAction2 config.

Same command line as MMAction2's ``tools/test.py``; ``--show-dir DIR``
writes a picture per test clip (its poses, the ground truth and the top-5
prediction). The entry point of :func:`mmaction_masa.apis.test.main`.
The metrics are logged and printed as one JSON line at the end.

Example::

    python tools/test.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        work_dirs/stgcnpp_wlasl100/best_acc_top1_epoch_60.pth \\
        --dump work_dirs/stgcnpp_wlasl100/predictions.pkl
"""
from mmaction_masa.apis.test import main

if __name__ == '__main__':
    main()
