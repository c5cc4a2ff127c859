"""Loss and validation accuracy curves of an MMEngine training run.

WORK_DIR is the ``--work-dir`` of ``tools/train.py`` (the newest
``<timestamp>/vis_data/scalars.json`` is read) or a ``scalars.json``.

Example::

    python tools/analysis/plot_curves.py work_dirs/masa_wlasl100
    # -> work_dirs/masa_wlasl100/curves.png (or --out PATH)
"""
import argparse
import os.path as osp
import sys

from mmaction_masa.analysis.plots import (find_scalars, plot_curves,
                                          read_scalars)


def parse_args() -> argparse.Namespace:
    """Parse the command line.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='Plot loss / accuracy curves from vis_data/scalars.json')
    parser.add_argument('work_dir', help='work dir or scalars.json')
    parser.add_argument(
        '--out', help='PNG file (default: curves.png in the work dir)')
    return parser.parse_args()


def main() -> int:
    """Run the tool from the command line.

    Returns:
        int: The exit status.
    """
    args = parse_args()
    try:
        scalars = find_scalars(args.work_dir)
        out = args.out or osp.join(
            args.work_dir if osp.isdir(args.work_dir) else osp.dirname(
                osp.abspath(args.work_dir)), 'curves.png')
        plot_curves(read_scalars(scalars), out, str(scalars))
    except (FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    print(f'wrote {out} from {scalars}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
