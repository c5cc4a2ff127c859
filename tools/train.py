"""Train a recognizer (or pre-train MASA) from an MMAction2 config.

Same command line as MMAction2's ``tools/train.py``; the entry point of
:func:`mmaction_masa.apis.train.main` (``import mmaction_masa`` applies the
stack fixes and registers every module, so configs without
``custom_imports`` work too).

Example::

    python tools/train.py configs/baselines/stgcnpp_sign_wlasl100.py \\
        --work-dir work_dirs/stgcnpp_wlasl100 --resume
"""
from mmaction_masa.apis.train import main

if __name__ == '__main__':
    main()
