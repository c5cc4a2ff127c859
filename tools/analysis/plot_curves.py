"""Loss and validation accuracy curves of an MMEngine training run.

WORK_DIR is the ``--work-dir`` of ``tools/train.py`` (the newest
``<timestamp>/vis_data/scalars.json`` is read) or a ``scalars.json``.

Example::

    python tools/analysis/plot_curves.py work_dirs/masa_wlasl100 \\
        --out curves.png
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))
from mmaction_masa.apis.analysis import (
    find_scalars,  # noqa: E402
    plot_curves,
    read_scalars)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Plot loss / accuracy curves from vis_data/scalars.json')
    parser.add_argument('work_dir', help='work dir or scalars.json')
    parser.add_argument('--out', default='curves.png', help='PNG file')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    try:
        scalars = find_scalars(args.work_dir)
        plot_curves(read_scalars(scalars), args.out, str(scalars))
    except (FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    print(f'wrote {args.out} from {scalars}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
