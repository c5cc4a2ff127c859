"""The main job, end to end on the embedded SYNTHETIC sign set.

1. ``tools/data/make_synthetic_signs.py`` writes a small procedurally
   generated 49-joint sign-pose set (no benchmark data ships with the
   package) to ``data/synthetic/synthetic_signs.pkl``;
2. ``tools/train.py configs/demo/masa_pretrain_synthetic.py``: MASA
   pre-training (MA + SA, labels unused);
3. ``tools/train.py configs/demo/masa_finetune_synthetic.py``: fine-tuning
   from the pre-trained backbone;
4. ``tools/test.py``: per-instance and per-class top-1 / top-5 on the test
   signers, printed as a table.

Every step is a subprocess running the same command a user would type, so
the demo exercises the real command-line tools. ``--pretrain-epochs`` /
``--finetune-epochs`` rescale the configs' schedules with them
(:func:`mmaction_masa.apis.schedule.epoch_options`). Example::

    python tools/run_demo.py --work-dir work_dirs/demo
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List

from mmaction_masa.apis.schedule import epoch_options

__all__ = ['parse_args', 'run', 'main']

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
PRETRAIN_CFG = 'configs/demo/masa_pretrain_synthetic.py'
FINETUNE_CFG = 'configs/demo/masa_finetune_synthetic.py'
METRICS = ('acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5')


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` when None.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='MASA pre-train -> fine-tune -> test on the embedded '
        'synthetic sign set')
    parser.add_argument(
        '--work-dir', default='work_dirs/demo', help='output folder')
    parser.add_argument(
        '--data',
        default='data/synthetic/synthetic_signs.pkl',
        help='where the synthetic annotation file is written (kept if it '
        'exists)')
    parser.add_argument(
        '--pretrain-epochs', type=int, default=30, help='pre-training epochs')
    parser.add_argument(
        '--finetune-epochs', type=int, default=30, help='fine-tuning epochs')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    return parser.parse_args(argv)


def run(cmd: List[str], log_file: str) -> str:
    """Run one step, tee its output to ``log_file``, fail loudly.

    Args:
        cmd (list[str]): The command.
        log_file (str): Where its stdout and stderr go.

    Returns:
        str: Its stdout and stderr.
    """
    print('$', ' '.join(cmd), flush=True)
    start = time.time()
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    with open(log_file, 'w') as f:
        f.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit(f'step failed (exit {proc.returncode}); full log: '
                         f'{log_file}')
    print(
        f'  done in {time.time() - start:.0f} s (log: {log_file})', flush=True)
    return proc.stdout


def last_json_line(output: str) -> Dict:
    """The metrics line ``tools/test.py`` prints last."""
    for line in reversed(output.strip().splitlines()):
        if line.startswith('{'):
            return json.loads(line)
    raise SystemExit('tools/test.py printed no metrics line')


def main(argv=None) -> Dict:
    """Run the demo and print the metrics.

    Args:
        argv (list[str], optional): Command-line arguments.

    Returns:
        dict: The test metrics.
    """
    args = parse_args(argv)
    work_dir = osp.abspath(osp.join(ROOT, args.work_dir))
    data = osp.abspath(osp.join(ROOT, args.data))
    py = sys.executable
    os.makedirs(work_dir, exist_ok=True)
    start = time.time()
    if not osp.exists(data):
        run([
            py, 'tools/data/make_synthetic_signs.py', data, '--seed',
            str(args.seed)
        ], osp.join(work_dir, 'make_data.log'))
    pretrain_dir = osp.join(work_dir, 'pretrain')
    finetune_dir = osp.join(work_dir, 'finetune')
    common = ['--seed', str(args.seed)]
    run([
        py, 'tools/train.py', PRETRAIN_CFG, '--work-dir', pretrain_dir,
        *common, '--cfg-options', f'train_dataloader.dataset.ann_file={data}',
        *epoch_options(osp.join(ROOT, PRETRAIN_CFG), args.pretrain_epochs)
    ], osp.join(work_dir, 'pretrain.log'))
    pretrained = osp.join(pretrain_dir, f'epoch_{args.pretrain_epochs}.pth')
    data_opts = [
        f'{split}_dataloader.dataset.ann_file={data}'
        for split in ('train', 'test')
    ]
    run([
        py, 'tools/train.py', FINETUNE_CFG, '--work-dir', finetune_dir,
        *common, '--cfg-options', *data_opts,
        f'model.backbone.init_cfg.checkpoint={pretrained}',
        *epoch_options(osp.join(ROOT, FINETUNE_CFG), args.finetune_epochs)
    ], osp.join(work_dir, 'finetune.log'))
    checkpoint = osp.join(finetune_dir, f'epoch_{args.finetune_epochs}.pth')
    output = run([
        py, 'tools/test.py', FINETUNE_CFG, checkpoint, '--work-dir',
        osp.join(work_dir, 'test'), '--cfg-options', *data_opts,
        'model.backbone.init_cfg=None'
    ], osp.join(work_dir, 'test.log'))
    metrics = last_json_line(output)
    print(f'\nMASA on the SYNTHETIC demo set ({time.time() - start:.0f} s '
          'in all), test signers:')
    for name in METRICS:
        print(f'  {name:<16} {100 * metrics[name]:6.2f} %')
    return metrics


if __name__ == '__main__':
    main()
