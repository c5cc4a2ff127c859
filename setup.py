"""Install mmaction_masa: ``pip install .`` (a wheel with the configs and
tools) or, for development, ``tools/setup_env.sh`` (``pip install -e .``).

A built package carries the repository's ``configs/`` and ``tools/`` under
``mmaction_masa/.mim/`` (the layout of OpenMMLab wheels), so that
``_base_ = 'mmaction_masa::masa_pretrain_wlasl.py'`` (see
``mmaction_masa/config_paths.py``) and ``mim train mmaction_masa CONFIG``
work without the repository. Editable installs read both from the checkout.
"""
import os.path as osp
import shutil
from pathlib import Path
from typing import List

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Repository folders shipped under ``mmaction_masa/.mim/`` and the file
#: patterns kept from each.
MIM_FOLDERS = dict(configs=('*.py', ), tools=('*.py', '*.sh'))


def mim_files(root: Path = ROOT) -> List[Path]:
    """The files of :data:`MIM_FOLDERS`, relative to ``root``, sorted."""
    files = set()
    for folder, patterns in MIM_FOLDERS.items():
        for pattern in patterns:
            files.update(
                path.relative_to(root)
                for path in (root / folder).rglob(pattern)
                if '__pycache__' not in path.parts)
    return sorted(files)


class BuildPyWithMim(build_py):
    """``build_py`` that also copies :func:`mim_files` into
    ``<build_lib>/mmaction_masa/.mim/`` (not in editable mode, whose
    package is the checkout itself)."""

    def run(self) -> None:
        """Build the packages, then add the ``.mim`` files."""
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        target = Path(self.build_lib) / 'mmaction_masa' / '.mim'
        for relative in mim_files():
            out = target / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / relative, out)

    def get_outputs(self, include_bytecode: bool = True) -> List[str]:
        """The built files, the ``.mim`` copies included (for records)."""
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, 'editable_mode', False):
            return outputs
        target = osp.join(self.build_lib, 'mmaction_masa', '.mim')
        return outputs + [osp.join(target, str(p)) for p in mim_files()]


#: The README is the package's long description (PyPI renders markdown).
LONG_DESCRIPTION = (ROOT / 'README.md').read_text(encoding='utf-8')

# No url / project_urls: the repository's public address is not recorded
# anywhere in it, so none is invented here.
setup(
    name='mmaction_masa',
    version='0.1.0',
    description='MASA (motion-aware masked autoencoder with semantic '
    'alignment) for isolated sign language recognition, as an MMAction2 '
    'plugin',
    long_description=LONG_DESCRIPTION,
    long_description_content_type='text/markdown',
    author='mmaction_masa contributors',
    # SPDX expression (Metadata 2.4); setuptools >= 77 deprecates the
    # 'License ::' classifiers in its favour.
    license_expression='Apache-2.0',
    license_files=['LICENSE'],
    keywords=[
        'sign language recognition', 'isolated sign language recognition',
        'self-supervised learning', 'masked autoencoder', 'pose', 'skeleton',
        'action recognition', 'mmaction2', 'openmmlab', 'pytorch'
    ],
    classifiers=[
        'Development Status :: 3 - Alpha',
        'Intended Audience :: Developers',
        'Intended Audience :: Science/Research',
        'Operating System :: OS Independent',
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3 :: Only',
        'Programming Language :: Python :: 3.11',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
        'Topic :: Scientific/Engineering :: Image Recognition',
    ],
    packages=find_packages(include=['mmaction_masa', 'mmaction_masa.*']),
    cmdclass=dict(build_py=BuildPyWithMim),
    python_requires='>=3.9',
    install_requires=[
        'torch>=2.4', 'numpy>=1.23,<2', 'mmengine>=0.10.3,<0.11',
        'mmaction2==1.2.0', 'importlib_metadata', 'setuptools>=77,<82', 'scipy'
    ],
    extras_require=dict(
        tests=['pytest'],
        # pose extraction (tools/data/extract_poses.py, tools/infer.py and
        # demo/demo_video.py on videos): the last release with the bundled
        # Holistic models
        mediapipe=['mediapipe==0.10.14', 'protobuf>=4.25.8,<5', 'tqdm'],
        # ONNX export (mmaction_masa.apis.export.export_onnx: torch.export
        # with dynamic batch / clip / person / frame axes) and its check
        onnx=['onnx', 'onnxruntime', 'onnxscript'],
        # mim train / mim test mmaction_masa CONFIG
        mim=['openmim'],
        tensorboard=['tensorboard']),
)
