"""End-to-end training throughput of a config (clips/s, epoch time).

Times the config's real train dataloader (sampler, batch sampler, pipeline)
and ``model.train_step`` together (see
:func:`mmaction_masa.analysis.train_throughput.measure_train_throughput`);
``--profile`` adds the most expensive operators of one step. Example (the
corpus pre-training, then the same as it was before: random batches, the
512-wide decoder, a 256-key queue, float32)::

    python benchmarks/train_throughput.py configs/signs/masa_pretrain_signs.py
    python benchmarks/train_throughput.py \\
        configs/signs/masa_pretrain_signs.py --cfg-options \\
        train_dataloader.batch_sampler.pool_batches=1 \\
        model.neck.decoder_dims=512 model.mask_head.in_channels=512 \\
        model.align_head.queue_len=256 \\
        optim_wrapper.type=OptimWrapper
"""
import argparse
import json
from typing import Dict, List, Optional

import torch
from mmengine.config import Config, DictAction

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.analysis.train_throughput import (measure_train_throughput,
                                                     top_ops)
from mmaction_masa.engine.optimizers import native_bf16

__all__ = ['parse_args', 'main']


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line arguments.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv`` when None.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='training config')
    parser.add_argument(
        '--iters', type=int, default=20, help='timed iterations')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument(
        '--threads', type=int, default=2, help='torch CPU threads')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--profile',
        action='store_true',
        help='also print the top operators of one step')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings')
    parser.add_argument('--out', help='write the figures as JSON here')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> Dict[str, float]:
    """Measure and print; returns the figures.

    Args:
        argv (list[str], optional): Arguments; ``sys.argv`` when None.

    Returns:
        dict[str, float]: See :func:`measure_train_throughput`.
    """
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    result = measure_train_throughput(cfg, args.iters, args.warmup, args.seed)
    result.update(
        threads=args.threads,
        iters=args.iters,
        cpu_capability=torch.backends.cpu.get_cpu_capability(),
        native_bf16=native_bf16('cpu'))
    print(f"{args.config}: {result['clips_per_s']:.1f} clips/s, "
          f"{result['s_per_step']:.3f} s/step, data "
          f"{100 * result['data_share']:.1f} % of the time, epoch "
          f"{result['epoch_min']:.2f} min "
          f"({result['batches_per_epoch']:.0f} batches) on "
          f"{args.threads} threads, CPU {result['cpu_capability']}, native "
          f"bfloat16: {'yes' if result['native_bf16'] else 'no'}")
    if args.profile:
        print(top_ops(cfg, seed=args.seed))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == '__main__':
    main()
