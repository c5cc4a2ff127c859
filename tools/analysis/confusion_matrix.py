"""Confusion matrix PNG and per-class accuracy CSV from a score dump.

DUMP is a ``tools/test.py --dump`` pickle (MMAction2's DumpResults format).
Class names come from ``--class-list`` (one a line), else the label index.

Example::

    python tools/analysis/confusion_matrix.py work_dirs/x/predictions.pkl \\
        --out-dir work_dirs/x/analysis --class-list wlasl_class_list.txt
"""
import argparse
import sys
from pathlib import Path

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.analysis.plots import (confusion_matrix, plot_confusion,
                                          write_per_class_csv)
from mmaction_masa.apis import resolve_class_names
from mmaction_masa.apis.scores import load_score_dump


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Confusion matrix and per-class accuracy of a dump')
    parser.add_argument('dump', help='tools/test.py --dump file')
    parser.add_argument('--out-dir', default='.', help='output directory')
    parser.add_argument('--class-list', help='class names, one a line')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    try:
        dump = load_score_dump(args.dump)
    except (FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    matrix = confusion_matrix(dump.scores, dump.labels)
    names = resolve_class_names(len(matrix), args.class_list)
    out_dir = Path(args.out_dir)
    png = plot_confusion(matrix, names, out_dir / 'confusion_matrix.png')
    table = write_per_class_csv(matrix, names,
                                out_dir / 'per_class_accuracy.csv')
    print(f'wrote {png} and {table}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
