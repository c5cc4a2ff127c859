"""Fuse the class scores of several models and evaluate the ensemble.

Each DUMP is a ``tools/test.py --dump`` pickle (MMAction2's format, so RGB
models of MMAction2 fit too) over the same test clips in the same order.
The fused score is ``sum_i w_i * pred_score_i``; ISLRMetric (per-instance
and per-class top-k accuracy) is printed for every input and the fusion.

Example::

    python tools/fusion.py pose_scores.pkl rgb_scores.pkl --weights 1 0.5 \\
        --out fused.pkl
"""
import argparse
import json
import sys

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.apis.scores import (evaluate_scores, fuse_scores,
                                       load_score_dump, save_score_dump)


def parse_args() -> argparse.Namespace:
    """Parse the command line.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='Weighted fusion of score dumps, evaluated with '
        'ISLRMetric')
    parser.add_argument('dumps', nargs='+', help='tools/test.py --dump files')
    parser.add_argument(
        '--weights',
        nargs='+',
        type=float,
        help='one weight per dump (default: all 1)')
    parser.add_argument(
        '--topk', nargs='+', type=int, default=[1, 5], help='k values')
    parser.add_argument(
        '--out', help='write the fused scores as a dump-format .pkl')
    args = parser.parse_args()
    args.weights = args.weights or [1.0] * len(args.dumps)
    if len(args.weights) != len(args.dumps):
        parser.error(f'--weights needs {len(args.dumps)} values, got '
                     f'{len(args.weights)}')
    return args


def main() -> int:
    """Run the tool from the command line.

    Returns:
        int: The exit status.
    """
    args = parse_args()
    try:
        dumps = [load_score_dump(path) for path in args.dumps]
        fused = fuse_scores(dumps, args.weights, args.dumps)
    except (FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    report = {
        path: evaluate_scores(dump, args.topk)
        for path, dump in zip(args.dumps, dumps)
    }
    report['fused'] = evaluate_scores(fused, args.topk)
    report['weights'] = args.weights
    print(json.dumps(report, indent=1))
    if args.out:
        save_score_dump(fused, args.out)
        print(f'wrote the fused scores to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
