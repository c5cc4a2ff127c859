"""Real-data evaluation on ``../shared/data/real/wlasl50_dev.pkl`` (or, with
``--task signs35``, on the signer-independent 35-gloss task of
``signs_multisigner_dev.pkl``).

For each seed: (a) MASA pre-training on the training clips (labels unused)
then fine-tuning, (b) the same backbone fine-tuned from scratch, (c) the
ST-GCN++ baseline; each is tested on the test clips and the script prints
per-instance / per-class top-1 / top-5 as mean and standard deviation over
the seeds, and writes every run's metrics to ``--out``. Every run is the
command a user would type (``tools/train.py`` / ``tools/test.py`` with the
``configs/dev/`` configs; ``--pretrain-epochs`` / ``--finetune-epochs``
rescale their schedules with
:func:`mmaction_masa.apis.schedule.epoch_options`); ``--jobs`` runs several
at a time, each on ``--threads`` CPU threads; ``--pretrained CKPT`` fine-tunes
every seed from one pre-training (a corpus pre-training of
``configs/signs/masa_pretrain_signs.py``). Examples::

    python tools/eval_wlasl50_dev.py --seeds 0 1 2 --jobs 2 \\
        --work-dir work_dirs/eval_wlasl50_dev
    python tools/eval_wlasl50_dev.py --task signs35 --variants masa scratch \\
        --pretrained work_dirs/signs/pretrain/epoch_20.pth \\
        --work-dir work_dirs/eval_signs35
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional

import numpy as np

from mmaction_masa.apis.schedule import epoch_options

__all__ = [
    'parse_args', 'parse_metrics', 'finished_metrics', 'reusable_checkpoint',
    'interrupted_run', 'task_configs', 'summarise', 'main'
]

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
TASKS = dict(
    wlasl50_dev=dict(
        pretrain='configs/dev/masa_pretrain_wlasl50dev.py',
        masa='configs/dev/masa_finetune_wlasl50dev.py',
        stgcnpp='configs/dev/stgcnpp_wlasl50dev.py'),
    signs35=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_signs35.py',
        stgcnpp='configs/signs/stgcnpp_signs35.py'),
    signs35_val=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_signs35_val.py',
        stgcnpp='configs/signs/stgcnpp_signs35_val.py'),
    signs35_labels10pct=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_signs35_labels10pct.py'),
    signs35_labels2pct=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_signs35_labels2pct.py',
        stgcnpp='configs/signs/stgcnpp_signs35_labels2pct.py'),
    signs35_labels1pct=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_signs35_labels1pct.py'),
    wlasl50_dev_from_signs=dict(
        pretrain='configs/signs/masa_pretrain_signs.py',
        masa='configs/signs/masa_finetune_wlasl50dev_from_signs.py',
        stgcnpp='configs/dev/stgcnpp_wlasl50dev.py'))
VARIANTS = ('masa', 'scratch', 'stgcnpp')
METRICS = ('acc/top1', 'acc/top5', 'acc/class_top1', 'acc/class_top5')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv[1:]`` when None.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--task',
        choices=sorted(TASKS),
        default='wlasl50_dev',
        help='the configs: wlasl50_dev (configs/dev/), signs35 (the '
        'signer-independent task of configs/signs/), signs35_labels10pct / '
        '_labels2pct / _labels1pct (the same task fine-tuned on 10 %% / 2 %% '
        '/ 1 %% of each gloss\'s training clips; ST-GCN++ at 2 %% only) or '
        'wlasl50_dev_from_signs (wlasl50_dev fine-tuning from the corpus '
        'pre-training); signs35_val trains on 103 of the 129 training '
        'sources and tests on the other 26 (the validation split on which '
        'recipes are chosen)')
    parser.add_argument(
        '--masa-config',
        default=None,
        help='the MASA fine-tuning config (also of --variants scratch) '
        'instead of the task\'s, e.g. a recipe of configs/signs/val/')
    parser.add_argument(
        '--stgcnpp-config',
        default=None,
        help='the ST-GCN++ config instead of the task\'s')
    parser.add_argument(
        '--pretrained',
        default=None,
        help='one pre-training checkpoint for every seed\'s MASA '
        'fine-tuning (e.g. a corpus pre-training); skips the per-seed '
        'pre-training')
    parser.add_argument(
        '--variants', nargs='+', choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument('--work-dir', default='work_dirs/eval_wlasl50_dev')
    parser.add_argument(
        '--pretrain-epochs',
        type=int,
        default=None,
        help='the configs\' own when None (60 on wlasl50_dev, 20 on the '
        'corpus)')
    parser.add_argument(
        '--finetune-epochs',
        type=int,
        default=None,
        help='the configs\' own when None (40 on wlasl50_dev, 15 on '
        'signs35)')
    parser.add_argument('--jobs', type=int, default=2, help='runs at a time')
    parser.add_argument(
        '--threads', type=int, default=1, help='CPU threads per run')
    parser.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='extra options for the MASA pre-training runs, e.g. '
        'train_dataloader.dataset.pipeline.3.mask_ratio=0.5')
    parser.add_argument(
        '--finetune-options',
        nargs='*',
        default=[],
        help='extra options for every fine-tuning / ST-GCN++ run, used for '
        'training and testing, e.g. train_dataloader.batch_size=16')
    parser.add_argument('--out', default=None, help='JSON file of results')
    parser.add_argument(
        '--resume',
        action='store_true',
        help='reuse finished runs found in --work-dir: a test log that '
        'ends with metrics, a pre-training whose last checkpoint exists')
    return parser.parse_args(argv)


class Runner:
    """Runs the tools with a fixed thread count, logging to the work dir.

    Args:
        work_dir (str): Where runs and logs go.
        threads (int): CPU threads per run.
        resume (bool): Reuse finished runs (see :func:`finished_metrics`).
    """

    def __init__(self,
                 work_dir: str,
                 threads: int,
                 resume: bool = False) -> None:
        self.work_dir = work_dir
        self.resume = resume
        self.env = dict(
            os.environ,
            OMP_NUM_THREADS=str(threads),
            MKL_NUM_THREADS=str(threads))

    def __call__(self, name: str, args: List[str]) -> str:
        """Run ``python ARGS``; return its output, raise on failure."""
        log = osp.join(self.work_dir, f'{name}.log')
        start = time.time()
        proc = subprocess.run([sys.executable, *args],
                              cwd=ROOT,
                              env=self.env,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              text=True)
        with open(log, 'w') as f:
            f.write(proc.stdout)
        if proc.returncode:
            raise RuntimeError(f'{name} failed, see {log}')
        print(f'{name}: {time.time() - start:.0f} s', flush=True)
        return proc.stdout


def parse_metrics(output: str) -> Optional[Dict[str, float]]:
    """:data:`METRICS` from the last JSON line ``tools/test.py`` printed.

    Args:
        output (str): The run's output.

    Returns:
        dict or None: The metrics, or None when the output holds no JSON
        line or its last one lacks a metric.
    """
    lines = [ln for ln in output.splitlines() if ln.startswith('{')]
    if not lines:
        return None
    metrics = json.loads(lines[-1])
    if not all(k in metrics for k in METRICS):
        return None
    return {k: metrics[k] for k in METRICS}


def finished_metrics(log: str) -> Optional[Dict[str, float]]:
    """The metrics a finished ``tools/test.py`` run logged, else None.

    Args:
        log (str): The run's log (``<name>_test.log``).

    Returns:
        dict or None: :func:`parse_metrics` of the log, None when the log
        is missing.
    """
    if not osp.isfile(log):
        return None
    with open(log) as f:
        return parse_metrics(f.read())


def reusable_checkpoint(path: str) -> bool:
    """Whether ``path`` is a complete checkpoint (it loads and has a
    ``state_dict``), so ``--resume`` may reuse it; a missing, truncated or
    corrupt file is not (the run is trained again and overwrites it).

    Args:
        path (str): The checkpoint.

    Returns:
        bool: True when the checkpoint loads.
    """
    if not osp.isfile(path):
        return False
    from mmaction_masa.safe_loading import load_checkpoint_file
    try:
        checkpoint = load_checkpoint_file(path, map_location='cpu')
    except Exception as exc:  # any load failure: not reusable
        print(f'{path}: not reused ({type(exc).__name__}: {exc})', flush=True)
        return False
    return isinstance(checkpoint, dict) and 'state_dict' in checkpoint


def config_epochs(config: str) -> int:
    """``train_cfg.max_epochs`` of a config (path relative to the root)."""
    from mmengine.config import Config
    return Config.fromfile(osp.join(ROOT, config)).train_cfg.max_epochs


def checkpoint_of(run: Runner, name: str, epochs: int) -> str:
    """The last checkpoint of the run ``name`` trained for ``epochs``."""
    return osp.join(run.work_dir, name, f'epoch_{epochs}.pth')


def train(run: Runner,
          name: str,
          config: str,
          seed: int,
          epochs: int,
          options: List[str],
          log: Optional[str] = None) -> str:
    """Train ``config`` for ``epochs`` epochs (schedule rescaled, see
    :func:`epoch_options`) with ``options`` into ``<work_dir>/<name>``,
    saving a checkpoint every epoch (the last one kept); with ``--resume``
    an interrupted run continues from it (:func:`interrupted_run`).

    Args:
        run (Runner): Runs the tool.
        name (str): The run's folder below the work dir.
        config (str): Config path relative to the repository root.
        seed (int): Random seed.
        epochs (int): Training epochs.
        options (list[str]): Further ``--cfg-options``.
        log (str, optional): Name of the log; ``<name>_train`` when None.

    Returns:
        str: The last checkpoint.
    """
    work_dir = osp.join(run.work_dir, name)
    resume = ['--resume'] if run.resume and interrupted_run(work_dir) else []
    run(log or f'{name}_train', [
        'tools/train.py', config, '--work-dir', work_dir, '--seed',
        str(seed), *resume, '--cfg-options',
        *epoch_options(osp.join(ROOT, config), epochs),
        'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=1', *options
    ])
    return checkpoint_of(run, name, epochs)


def interrupted_run(work_dir: str) -> bool:
    """Whether ``work_dir`` holds a run to continue with ``--resume``: its
    ``last_checkpoint`` names a checkpoint that loads (runs save one every
    epoch, so a run killed between sessions loses at most an epoch).

    Args:
        work_dir (str): The run's work dir.

    Returns:
        bool: True when MMEngine's ``--resume`` would find a checkpoint.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return False
    with open(pointer) as f:
        path = f.read().strip()
    return reusable_checkpoint(path)


def train_and_test(run: Runner, name: str, config: str, seed: int, epochs: int,
                   options: List[str],
                   test_options: List[str]) -> Dict[str, float]:
    """Train with ``config`` and ``options``, then test the last checkpoint
    with ``test_options``."""
    done = finished_metrics(osp.join(run.work_dir, f'{name}_test.log'))
    if run.resume and done is not None:
        print(f'{name}: reused', flush=True)
        return done
    ckpt = train(run, name, config, seed, epochs, options)
    test_args = [
        'tools/test.py', config, ckpt, '--work-dir',
        osp.join(run.work_dir, name, 'test')
    ]
    if test_options:
        test_args += ['--cfg-options', *test_options]
    metrics = parse_metrics(run(f'{name}_test', test_args))
    if metrics is None:
        raise RuntimeError(f'{name}_test printed no metrics line, see '
                           f'{osp.join(run.work_dir, name)}_test.log')
    return metrics


def run_seed(run: Runner, args: argparse.Namespace, variant: str,
             seed: int) -> Dict[str, float]:
    """One variant for one seed (MASA pre-trains first unless
    ``--pretrained`` names the checkpoint)."""
    configs = task_configs(args)
    epochs, options = args.finetune_epochs, args.finetune_options
    # Tests read the trained weights from the checkpoint, never the
    # Pretrained init.
    no_init = ['model.backbone.init_cfg=None']
    if variant == 'stgcnpp':
        return train_and_test(run, f'stgcnpp_s{seed}', configs['stgcnpp'],
                              seed, epochs, options, options)
    if variant == 'scratch':
        return train_and_test(run, f'scratch_s{seed}', configs['masa'], seed,
                              epochs, options + no_init, options + no_init)
    name = f'pretrain_s{seed}'
    ckpt = args.pretrained or checkpoint_of(run, name, args.pretrain_epochs)
    if args.pretrained and not reusable_checkpoint(ckpt):
        raise FileNotFoundError(f'--pretrained {ckpt}: not a loadable '
                                'checkpoint')
    if not args.pretrained and not (run.resume and reusable_checkpoint(ckpt)):
        train(
            run,
            name,
            configs['pretrain'],
            seed,
            args.pretrain_epochs,
            args.cfg_options,
            log=name)
    return train_and_test(
        run, f'masa_s{seed}', configs['masa'], seed, epochs,
        options + [f'model.backbone.init_cfg.checkpoint={ckpt}'],
        options + no_init)


def task_configs(args: argparse.Namespace) -> Dict[str, str]:
    """The task's configs, with ``--masa-config`` / ``--stgcnpp-config``
    in place of its own.

    Args:
        args (argparse.Namespace): The parsed arguments.

    Returns:
        dict: ``pretrain`` / ``masa`` / ``stgcnpp`` -> config path.
    """
    configs = dict(TASKS[args.task])
    if args.masa_config:
        configs['masa'] = args.masa_config
    if args.stgcnpp_config:
        configs['stgcnpp'] = args.stgcnpp_config
    return configs


def summarise(results: Dict[str, Dict[int, Dict[str, float]]]) -> str:
    """A table of mean +- std (in %) per variant."""
    lines = [f"{'variant':<10}" + ''.join(f'{m:>20}' for m in METRICS)]
    for variant, by_seed in results.items():
        cells = []
        for metric in METRICS:
            values = 100 * np.array([r[metric] for r in by_seed.values()])
            cells.append(f'{values.mean():8.2f} +- {values.std():5.2f}')
        lines.append(f'{variant:<10}' + ''.join(f'{c:>20}' for c in cells))
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> Dict:
    """Run every variant for every seed and print the summary.

    Args:
        argv (list[str], optional): Command-line arguments.

    Returns:
        dict: variant -> seed -> metrics.
    """
    args = parse_args(argv)
    configs = task_configs(args)
    if 'stgcnpp' in args.variants and 'stgcnpp' not in configs:
        raise SystemExit(f'--task {args.task} has no ST-GCN++ config: run '
                         '--variants masa scratch')
    if args.pretrain_epochs is None:
        args.pretrain_epochs = config_epochs(configs['pretrain'])
    if args.finetune_epochs is None:
        args.finetune_epochs = config_epochs(configs['masa'])
    work_dir = osp.abspath(osp.join(ROOT, args.work_dir))
    os.makedirs(work_dir, exist_ok=True)
    run = Runner(work_dir, args.threads, args.resume)
    jobs = [(v, s) for s in args.seeds for v in args.variants]
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = {job: pool.submit(run_seed, run, args, *job) for job in jobs}
    results = {v: {} for v in args.variants}
    for (variant, seed), future in futures.items():
        results[variant][seed] = future.result()
    print(summarise(results))
    out = args.out or osp.join(work_dir, 'results.json')
    with open(out, 'w') as f:
        json.dump(results, f, indent=2)
    return results


if __name__ == '__main__':
    main()
