"""Generate the synthetic sign-pose dataset (the embedded default data).

Usage::

    python tools/data/make_synthetic_signs.py OUT.pkl [--num-classes 10] \\
        [--signers 8] [--test-signers 2] [--reps 3] [--seed 0] \\
        [--img-shape 480 640] [--left-handed-ratio 0.2]

No benchmark pose data ships with the project; this script draws a small,
clearly **synthetic** sign-pose set instead (see
:mod:`mmaction_masa.datasets.converters.synthetic` for the model): each
class is a smooth dominant-wrist path with a handshape that may change
mid-sign, one- or two-handed; signers vary in body size, position, tempo
and handedness; the poses carry jitter, scores and undetected hands. The
output is an MMAction2 PoseDataset pickle with 49 joints in pixels of
``img_shape``, ``split`` ``train`` / ``test`` by signer (the last
``--test-signers`` signers are unseen in training), annotations marked
``synthetic=True`` with ``frame_dir`` ``synth_c<class>_s<signer>_r<rep>``,
and a top-level ``meta`` dict. The same arguments give the same file.

Example (the defaults: 10 classes x 8 signers x 3 repetitions = 240 clips)::

    python tools/data/make_synthetic_signs.py data/synthetic/signs10.pkl

Load it with ``ISLRDataset(ann_file, pipeline, split='train')``.
"""
import argparse
from pathlib import Path
from typing import List, Optional

import mmengine

from mmaction_masa.datasets.converters.synthetic import (IMG_SHAPE,
                                                         make_synthetic_signs)

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='write a synthetic 49-joint sign-pose annotation pickle')
    parser.add_argument('out_file', help='annotation pickle to write')
    parser.add_argument(
        '--num-classes', type=int, default=10, help='signs (default 10)')
    parser.add_argument(
        '--signers', type=int, default=8, help='signers (default 8)')
    parser.add_argument(
        '--test-signers',
        type=int,
        default=2,
        help='last signers that form the test split (default 2)')
    parser.add_argument(
        '--reps',
        type=int,
        default=3,
        help='repetitions per signer and class (default 3)')
    parser.add_argument('--seed', type=int, default=0, help='default 0')
    parser.add_argument(
        '--img-shape',
        type=int,
        nargs=2,
        default=IMG_SHAPE,
        metavar=('H', 'W'),
        help='frame size in pixels (default 480 640)')
    parser.add_argument(
        '--left-handed-ratio',
        type=float,
        default=0.2,
        help='probability that a signer is left-handed (default 0.2)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Generate the dataset, write it and print a summary.

    Args:
        argv (list[str], optional): Arguments; None reads ``sys.argv``.

    Raises:
        SystemExit: invalid counts.
    """
    args = parse_args(argv)
    try:
        content = make_synthetic_signs(
            num_classes=args.num_classes,
            signers=args.signers,
            test_signers=args.test_signers,
            reps=args.reps,
            seed=args.seed,
            img_shape=tuple(args.img_shape),
            left_handed_ratio=args.left_handed_ratio)
    except ValueError as exc:
        raise SystemExit(f'make_synthetic_signs.py: {exc}') from exc
    out = Path(args.out_file)
    out.parent.mkdir(parents=True, exist_ok=True)
    mmengine.dump(content, str(out), file_format='pkl')
    sizes = ', '.join(f'{k} {len(v)}' for k, v in content['split'].items())
    print(f'wrote {len(content["annotations"])} synthetic clips ({sizes}) '
          f'of {args.num_classes} classes to {out}')


if __name__ == '__main__':
    main()
