"""Test-time cost of fine-tuning configs: clips/s of pipeline + forward.

For each config the test dataloader's dataset is built (its annotation
file, split and test pipeline), the first ``--clips`` clips go through the
pipeline, and the recognizer (randomly initialised: the cost does not
depend on the weights) scores them in batches of ``--batch-size`` in
``mode='predict'``. The configs are timed in turns (``--rounds`` rounds,
each config once per round) in this one process, so a load that changes
over time affects them alike; the median round is printed. Use it to see
what multi-clip or mirror test-time augmentation costs, e.g.::

    python benchmarks/inference_cost.py \\
        configs/signs/masa_finetune_signs35_plain.py \\
        configs/signs/masa_finetune_signs35.py --threads 1
"""
import argparse
import statistics
import time
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction.registry import DATASETS, MODELS

__all__ = ['build', 'time_config', 'main']


def build(config: str, clips: int) -> Dict:
    """The model and the first ``clips`` test samples of a config.

    Args:
        config (str): Config path.
        clips (int): Samples to take from its test dataset.

    Returns:
        dict: ``model`` (eval mode), ``dataset`` (its test pipeline runs
        when a sample is read) and ``indices`` of the timed samples.
    """
    cfg = Config.fromfile(config)
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model).eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    count = min(clips, len(dataset))
    return dict(model=model, dataset=dataset, indices=range(count))


def time_config(built: Dict, batch_size: int) -> float:
    """Seconds to run the pipeline and the model over the samples.

    Args:
        built (dict): From :func:`build`.
        batch_size (int): Clips per forward pass.

    Returns:
        float: Wall time in seconds.
    """
    model, dataset = built['model'], built['dataset']
    indices = list(built['indices'])
    start = time.perf_counter()
    with torch.no_grad():
        for first in range(0, len(indices), batch_size):
            samples = [dataset[i] for i in indices[first:first + batch_size]]
            data = model.data_preprocessor(pseudo_collate(samples), False)
            model(**data, mode='predict')
    return time.perf_counter() - start


def main(argv: List[str] = None) -> Dict[str, float]:
    """Time every config and print clips/s.

    Args:
        argv (list[str], optional): Command-line arguments.

    Returns:
        dict: config -> clips/s of the median round.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--clips', type=int, default=512)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--threads', type=int, default=None)
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    init_default_scope('mmaction')
    torch.manual_seed(0)
    built = {c: build(c, args.clips) for c in args.configs}
    times = {c: [] for c in args.configs}
    for _ in range(args.rounds):
        for config in args.configs:
            times[config].append(time_config(built[config], args.batch_size))
    rates = {}
    for config in args.configs:
        count = len(built[config]['indices'])
        rates[config] = count / statistics.median(times[config])
        print(f'{config}: {rates[config]:.1f} clips/s ({count} clips, '
              f'median of {args.rounds} rounds, '
              f'{torch.get_num_threads()} thread(s))')
    return rates


if __name__ == '__main__':
    main()
