"""Install mmaction_masa (``pip install -e .``); see tools/setup_env.sh."""
from setuptools import find_packages, setup

setup(
    name='mmaction_masa',
    version='0.1.0',
    description='MASA (motion-aware masked autoencoder with semantic '
    'alignment) for isolated sign language recognition, as an MMAction2 '
    'plugin',
    packages=find_packages(include=['mmaction_masa', 'mmaction_masa.*']),
    python_requires='>=3.9',
    install_requires=[
        'torch>=2.0', 'numpy>=1.23,<2', 'mmengine>=0.10.3,<0.11',
        'mmaction2==1.2.0', 'importlib_metadata', 'setuptools>=77,<82',
        'scipy'
    ],
    extras_require=dict(
        tests=['pytest'],
        # pose extraction (tools/data/extract_poses.py, tools/infer.py and
        # demo/demo_video.py on videos): the last release with the bundled
        # Holistic models
        mediapipe=['mediapipe==0.10.14', 'protobuf>=4.25.8,<5', 'tqdm'],
        onnx=['onnx', 'onnxruntime'],
        tensorboard=['tensorboard']),
)
