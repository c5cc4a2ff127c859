"""Throughput, latency, memory and FLOPs of MASA and ST-GCN++ in one run.

Models, pipelines and optimizers are those of the repository's configs
(:data:`PRESETS`); the data are the clips of ``--ann`` or synthetic clips
(``mmaction_masa.datasets.converters.synthetic``). Every row runs in this
one process on the same data and device:

- ``pipeline/*``: clips/s of the pre-training and fine-tuning data
  pipelines on one worker (no DataLoader workers; each clip is deep-copied
  first, as ``BaseDataset`` does);
- ``masa/pretrain_step``: MASA pre-training step (forward, backward, AdamW
  step; the EMA update and the queue update run inside the forward);
- ``masa/finetune_step``: ``RecognizerGCN`` + ``GCNHead`` on the same
  backbone, SGD step (the optimizers' steps leave out the wrappers'
  gradient clipping);
- ``masa/inference`` (batch ``--infer-batch``) and ``masa/latency``
  (batch 1), ``mode='predict'``;
- ``stgcnpp/*``: MMAction2's ST-GCN++ on the 49-joint layout, same rows;
- steps over clip lengths (``--clip-lens``) and batch sizes
  (``--batch-sizes``).

Each timing is the median of ``--repeats`` runs after ``--warmup`` runs
(and after one FLOP-counting run); the batch is prepared (pipeline, collate,
data preprocessor, copy to the device) before timing a model row.
Peak memory is ``torch.cuda.max_memory_allocated`` per row on CUDA and the
process's peak RSS (``resource.getrusage``, never decreasing) on CPU.
FLOPs come from ``torch.utils.flop_counter.FlopCounterMode`` (one counted
run of the same work); MFU = achieved FLOP/s / ``--peak-tflops`` is reported
on CUDA only.

Example::

    python benchmarks/benchmark.py --device cuda --amp --out bench.json
    python benchmarks/benchmark.py --quick --preset tiny --out /tmp/b.json
"""
import argparse
import copy
import json
import os.path as osp
import resource
import statistics
import sys
import time
from contextlib import nullcontext
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from torch.utils.flop_counter import FlopCounterMode

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction.registry import MODELS, OPTIMIZERS, TRANSFORMS
from mmaction_masa.analysis.loss_balance import measure_loss_balance
from mmaction_masa.datasets import load_annotation_file, sanitize_annotation
from mmaction_masa.datasets.converters import make_synthetic_signs

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))

__all__ = [
    'PRESETS', 'SYNTHETIC_FRAMES', 'load_config', 'resample',
    'build_optimizer', 'Bench', 'main'
]

#: ST-GCN++ of every preset (its recipe: SGD, nesterov, lr 0.1).
STGCNPP = 'configs/baselines/stgcnpp_sign_wlasl2000.py'
#: The recognizers are timed from random initialisation (no checkpoint).
FROM_SCRATCH = {'model.backbone.init_cfg': None}
#: Positions for the 128-frame scan and whole clips of up to 150 frames
#: (the tiny model has 64).
LONG_CLIPS = {'model.backbone.max_frames': 512}

#: The configs of each preset (paths below the repository, with
#: ``--cfg-options``-style overrides): ``pretrain`` (MASA), ``finetune``
#: (``RecognizerGCN`` + MASA backbone + ``GCNHead``) and ``stgcnpp``. Each
#: gives its model, its pipelines (``train_dataloader`` and
#: ``test_dataloader``) and its optimizer (``optim_wrapper.optimizer``).
#: ``paper`` = ``configs/masa_pretrain_wlasl.py`` (embedding 3 x 512 =
#: 1536, 3 encoder blocks, 2 decoder blocks of width 512, queue 6144) and
#: its fine-tuning on WLASL2000; ``tiny`` = ``configs/dev/*_tiny.py``.
PRESETS: Dict[str, Dict[str, Tuple[str, Dict]]] = dict(
    paper=dict(
        pretrain=('configs/masa_pretrain_wlasl.py', {}),
        finetune=('configs/finetune/masa_finetune_wlasl2000.py', FROM_SCRATCH),
        stgcnpp=(STGCNPP, {})),
    tiny=dict(
        pretrain=('configs/dev/masa_pretrain_tiny.py', LONG_CLIPS),
        finetune=('configs/dev/masa_finetune_tiny.py',
                  dict(FROM_SCRATCH, **LONG_CLIPS)),
        stgcnpp=(STGCNPP, {})))
#: Frames of every synthetic clip.
SYNTHETIC_FRAMES = 60


def load_config(path: str, options: Dict) -> Config:
    """A config of the repository with overrides.

    Args:
        path (str): Config file, relative to the repository root.
        options (dict): ``--cfg-options``-style overrides (dotted keys).

    Returns:
        Config: The merged config.
    """
    cfg = Config.fromfile(osp.join(ROOT, path))
    cfg.merge_from_dict(options)
    return cfg


def resample(pipeline: Sequence[Dict], clip_len: Optional[int]) -> List[Dict]:
    """A pipeline with its frame sampling set to ``clip_len`` frames.

    ``SignSampleFrames`` keeps its other arguments (``test_mode``);
    ``StrideCapFrames`` (whole clips) becomes ``SignSampleFrames(clip_len)``,
    as ``configs/ablations/pretrain_resample32.py`` does.

    Args:
        pipeline (Sequence[dict]): Transform configs.
        clip_len (int, optional): Frames per clip; None keeps the pipeline
            as configured.

    Returns:
        list[dict]: The transform configs.

    Raises:
        ValueError: no transform samples frames.
    """
    out, found = [], False
    for transform in pipeline:
        if transform['type'] == 'SignSampleFrames' and clip_len is not None:
            transform = dict(transform, clip_len=clip_len)
        elif transform['type'] == 'StrideCapFrames' and clip_len is not None:
            transform = dict(type='SignSampleFrames', clip_len=clip_len)
        found |= transform['type'] in ('SignSampleFrames', 'StrideCapFrames')
        out.append(dict(transform))
    if not found:
        raise ValueError(f'no frame sampling in {[t["type"] for t in out]}')
    return out


def build_optimizer(cfg: Config,
                    params: Iterable[torch.Tensor]) -> torch.optim.Optimizer:
    """The optimizer of a config (``optim_wrapper.optimizer``) on
    ``params``; the wrapper's gradient clipping is not part of the step.

    Args:
        cfg (Config): A training config.
        params (Iterable[Tensor]): The trainable parameters.

    Returns:
        torch.optim.Optimizer: e.g. ``AdamW(lr=1e-4, betas=(0.9, 0.95),
        weight_decay=1e-4, foreach=True)`` for MASA pre-training.
    """
    return OPTIMIZERS.build(
        dict(cfg.optim_wrapper.optimizer, params=list(params)))


def _num_params(model: torch.nn.Module) -> int:
    """Trainable parameters (the MASA key branch is not trainable)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _load_annotations(args: argparse.Namespace) -> List[Dict]:
    """Validated clips of ``--ann``, or synthetic clips
    (:func:`make_synthetic_signs`: ``--num-clips`` signs of one signer,
    :data:`SYNTHETIC_FRAMES` frames each)."""
    if args.ann is None:
        return make_synthetic_signs(
            num_classes=args.num_clips,
            signers=1,
            test_signers=0,
            reps=1,
            seed=0,
            num_frames=SYNTHETIC_FRAMES)['annotations']
    annotations, _ = load_annotation_file(args.ann)
    return [
        sanitize_annotation(a, args.ann, i) for i, a in enumerate(annotations)
    ]


class Bench:
    """Runs and records the rows of one benchmark.

    Args:
        args (argparse.Namespace): Parsed command line.
        annotations (list[dict]): The clips every row uses.
    """

    def __init__(self, args: argparse.Namespace,
                 annotations: List[Dict]) -> None:
        self.args = args
        self.device = torch.device(args.device)
        self.annotations = annotations
        self.configs = {
            key: load_config(*spec)
            for key, spec in PRESETS[args.preset].items()
        }
        self.rows: List[Dict] = []
        self.models: Dict[str, Dict] = {}

    # -- helpers ---------------------------------------------------------
    def _sync(self) -> None:
        """Wait for queued CUDA work."""
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)

    def _autocast(self):
        """bf16 autocast with ``--amp``, else a no-op context."""
        if not self.args.amp:
            return nullcontext()
        return torch.autocast(self.device.type, dtype=torch.bfloat16)

    def _reset_memory(self) -> None:
        """Start a new CUDA peak (RSS peaks cannot be reset)."""
        if self.device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(self.device)

    def _peak_memory_mb(self) -> float:
        """Peak CUDA allocation of the row, or the process's peak RSS."""
        if self.device.type == 'cuda':
            return torch.cuda.max_memory_allocated(self.device) / 2**20
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def _time(self, fn: Callable[[], None]) -> float:
        """Median seconds of ``fn`` after the warm-up runs."""
        for _ in range(self.args.warmup):
            fn()
        self._sync()
        times = []
        for _ in range(self.args.repeats):
            start = time.perf_counter()
            fn()
            self._sync()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def _flops(self, fn: Callable[[], None]) -> int:
        """FLOPs of one call of ``fn``."""
        counter = FlopCounterMode(display=False)
        with counter:
            fn()
        return counter.get_total_flops()

    def _record(self,
                name: str,
                batch: int,
                frames: int,
                seconds: float,
                flops: Optional[int] = None) -> Dict:
        """Append one row (``flops`` per call, if counted) and return it."""
        row = dict(
            name=name,
            batch=batch,
            frames=frames,
            time_ms=seconds * 1e3,
            samples_per_s=batch / seconds,
            peak_mem_mb=self._peak_memory_mb())
        if flops is not None:
            row['gflops_per_sample'] = flops / batch / 1e9
            row['tflops_per_s'] = flops / seconds / 1e12
            if self.device.type == 'cuda':
                row['mfu'] = row['tflops_per_s'] / self.args.peak_tflops
        self.rows.append(row)
        print(
            f'{name} batch {batch} T {frames}: {row["time_ms"]:.2f} ms',
            file=sys.stderr,
            flush=True)
        return row

    def _batch(self, model: torch.nn.Module, pipeline: List[Dict], batch: int,
               training: bool) -> Dict:
        """A preprocessed batch of ``batch`` clips (cycling the data)."""
        transform = Compose([TRANSFORMS.build(t) for t in pipeline])
        samples = [
            transform(
                copy.deepcopy(self.annotations[i % len(self.annotations)]))
            for i in range(batch)
        ]
        return model.data_preprocessor(pseudo_collate(samples), training)

    def _pipeline(self, key: str, split: str,
                  clip_len: Optional[int]) -> List[Dict]:
        """The ``train`` or ``test`` pipeline of a preset's config at
        ``clip_len`` frames (None: as configured)."""
        loader = self.configs[key][f'{split}_dataloader']
        return resample(loader.dataset.pipeline, clip_len)

    def _build(self,
               key: str) -> Tuple[torch.nn.Module, torch.optim.Optimizer]:
        """Build, initialise and move the model of a preset's config; and
        its optimizer on the trainable parameters."""
        model = MODELS.build(self.configs[key].model)
        model.init_weights()
        model.to(self.device)
        return model, build_optimizer(
            self.configs[key],
            (p for p in model.parameters() if p.requires_grad))

    # -- rows ------------------------------------------------------------
    def pipelines(self) -> None:
        """Time the pre-training and fine-tuning pipelines (clips/s) on
        ``--pipeline-clips`` clips."""
        count = self.args.pipeline_clips
        frames = self.args.clip_lens[0]
        for name, cfg in (('pipeline/pretrain',
                           self._pipeline('pretrain', 'train', frames)),
                          ('pipeline/pretrain_whole',
                           self._pipeline('pretrain', 'train', None)),
                          ('pipeline/finetune',
                           self._pipeline('finetune', 'train', frames))):
            transform = Compose([TRANSFORMS.build(t) for t in cfg])
            clips = [
                self.annotations[i % len(self.annotations)]
                for i in range(count)
            ]

            def run(transform=transform, clips=clips) -> None:
                for clip in clips:
                    transform(copy.deepcopy(clip))

            self._reset_memory()
            self._record(name, count, frames, self._time(run))

    def train_step(self,
                   name: str,
                   model: torch.nn.Module,
                   optimizer: torch.optim.Optimizer,
                   pipeline: List[Dict],
                   batch: int,
                   frames: Optional[int] = None) -> Dict:
        """Time one optimisation step (forward with the losses, backward,
        optimizer step) on a fixed preprocessed batch.

        Args:
            name (str): Row name.
            model (nn.Module): ``MASA`` or a recognizer.
            optimizer (torch.optim.Optimizer): Its optimizer.
            pipeline (list[dict]): Pipeline that makes the batch.
            batch (int): Batch size.
            frames (int, optional): Clip length of ``pipeline``; None =
                the padded length of the prepared batch (whole clips).

        Returns:
            dict: The recorded row.
        """
        model.train()
        data = self._batch(model, pipeline, batch, training=True)
        frames = frames or int(data['inputs'].shape[3])

        def forward_backward() -> None:
            with self._autocast():
                losses = model(**data, mode='loss')
            loss = sum(v for k, v in losses.items() if 'loss' in k)
            loss.backward()

        def step() -> None:
            optimizer.zero_grad(set_to_none=True)
            forward_backward()
            optimizer.step()

        flops = self._flops(forward_backward)
        optimizer.zero_grad(set_to_none=True)
        self._reset_memory()
        return self._record(name, batch, frames, self._time(step), flops)

    def inference(self, name: str, model: torch.nn.Module,
                  pipeline: List[Dict], batch: int, frames: int) -> Dict:
        """Time ``mode='predict'`` on a test-pipeline batch (inference mode).

        Args:
            name (str): Row name.
            model (nn.Module): A recognizer.
            pipeline (list[dict]): Its test pipeline at ``frames`` frames.
            batch (int): Batch size.
            frames (int): Clip length.

        Returns:
            dict: The recorded row.
        """
        model.eval()
        data = self._batch(model, pipeline, batch, False)

        def run() -> None:
            with torch.inference_mode(), self._autocast():
                model(**data, mode='predict')

        def count() -> None:
            # With gradients enabled nn.TransformerEncoderLayer takes its
            # unfused path, whose matmuls FlopCounterMode sees (it does not
            # count the fused inference kernel); the math is the same.
            with self._autocast():
                model(**data, mode='predict')

        flops = self._flops(count)
        self._reset_memory()
        return self._record(name, batch, frames, self._time(run), flops)

    def models_rows(self) -> None:
        """Every model row: steps over batch sizes and clip lengths,
        inference and latency."""
        args = self.args
        scan = [(b, args.clip_lens[0])
                for b in args.batch_sizes] + [(args.batch_sizes[0], t)
                                              for t in args.clip_lens[1:]]
        masa, masa_opt = self._build('pretrain')
        for batch, frames in scan:
            self.train_step('masa/pretrain_step', masa, masa_opt,
                            self._pipeline('pretrain', 'train', frames), batch,
                            frames)
        # The default pipeline: whole clips, padded to the batch's longest
        # (the row's T).
        self.train_step('masa/pretrain_step_whole', masa, masa_opt,
                        self._pipeline('pretrain', 'train', None),
                        args.batch_sizes[0])
        self.models['masa_pretrain'] = dict(params=_num_params(masa))
        if args.profile:
            self.profile(masa, masa_opt, args.batch_sizes[0])
        del masa, masa_opt
        for name, key, step_name in (('masa', 'finetune',
                                      'masa/finetune_step'),
                                     ('stgcnpp', 'stgcnpp',
                                      'stgcnpp/train_step')):
            model, optimizer = self._build(key)
            for batch, frames in scan:
                self.train_step(step_name, model, optimizer,
                                self._pipeline(key, 'train', frames), batch,
                                frames)
            del optimizer
            frames = args.clip_lens[0]
            test_pipeline = self._pipeline(key, 'test', frames)
            self.inference(f'{name}/inference', model, test_pipeline,
                           args.infer_batch, frames)
            latency = self.inference(f'{name}/latency', model, test_pipeline,
                                     1, frames)
            self.models[f'{name}_recognizer'] = dict(
                params=_num_params(model),
                gflops_per_clip=latency['gflops_per_sample'])
            del model

    def profile(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                batch: int) -> None:
        """Print the top-15 ops by self CPU time of one pre-training step.

        Args:
            model (nn.Module): ``MASA``.
            optimizer (torch.optim.Optimizer): Its optimizer.
            batch (int): Batch size.
        """
        model.train()
        frames = self.args.clip_lens[0]
        data = self._batch(model, self._pipeline('pretrain', 'train', frames),
                           batch, True)
        with torch.profiler.profile(
                activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            optimizer.zero_grad(set_to_none=True)
            with self._autocast():
                losses = model(**data, mode='loss')
            sum(v for k, v in losses.items() if 'loss' in k).backward()
            optimizer.step()
        print(f'Profile of one MASA pre-training step (batch {batch}, '
              f'{frames} frames), top 15 by self CPU time:')
        print(prof.key_averages().table(
            sort_by='self_cpu_time_total', row_limit=15))

    # -- summary ---------------------------------------------------------
    def _row(self, name: str, batch: int, frames: int) -> Dict:
        """The recorded row of a name, batch size and clip length."""
        for row in self.rows:
            if (row['name'], row['batch'], row['frames']) == (name, batch,
                                                              frames):
                return row
        raise KeyError(f'no row {name} batch {batch} frames {frames}')

    def ratios(self) -> Dict[str, float]:
        """Ratios between rows at the first batch size and clip length.

        Returns:
            dict[str, float]: Step-time, throughput and latency ratios.
        """
        b, t = self.args.batch_sizes[0], self.args.clip_lens[0]
        pre = self._row('masa/pretrain_step', b, t)
        fine = self._row('masa/finetune_step', b, t)
        stg = self._row('stgcnpp/train_step', b, t)
        infer_b = self.args.infer_batch
        return dict(
            pretrain_over_finetune_step_time=pre['time_ms'] / fine['time_ms'],
            masa_finetune_over_stgcnpp_step_time=fine['time_ms'] /
            stg['time_ms'],
            pretrain_pipeline_over_pretrain_step_throughput=self._row(
                'pipeline/pretrain', self.args.pipeline_clips,
                t)['samples_per_s'] / pre['samples_per_s'],
            finetune_pipeline_over_finetune_step_throughput=self._row(
                'pipeline/finetune', self.args.pipeline_clips,
                t)['samples_per_s'] / fine['samples_per_s'],
            masa_over_stgcnpp_inference_throughput=self._row(
                'masa/inference', infer_b, t)['samples_per_s'] /
            self._row('stgcnpp/inference', infer_b, t)['samples_per_s'],
            masa_over_stgcnpp_latency=self._row('masa/latency', 1,
                                                t)['time_ms'] /
            self._row('stgcnpp/latency', 1, t)['time_ms'])

    def table(self) -> str:
        """The rows as a fixed-width text table.

        Returns:
            str: Header, rule and one line per row.
        """
        head = (f'{"row":<22}{"batch":>6}{"T":>5}{"ms":>11}{"samples/s":>12}'
                f'{"peak MB":>10}{"GFLOP/clip":>11}{"TFLOP/s":>9}{"MFU":>7}')
        lines = [head, '-' * len(head)]
        for r in self.rows:
            gflops = r.get('gflops_per_sample')
            lines.append(f'{r["name"]:<22}{r["batch"]:>6}{r["frames"]:>5}'
                         f'{r["time_ms"]:>11.2f}{r["samples_per_s"]:>12.1f}'
                         f'{r["peak_mem_mb"]:>10.0f}' +
                         (f'{gflops:>11.3f}{r["tflops_per_s"]:>9.3f}'
                          if gflops is not None else f'{"-":>11}{"-":>9}') +
                         (f'{r["mfu"]:>7.3f}' if 'mfu' in r else f'{"-":>7}'))
        return '\n'.join(lines)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line (``--quick`` shrinks every size).

    Args:
        argv (Sequence[str], optional): Arguments; defaults to sys.argv.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--preset', choices=sorted(PRESETS), default='paper')
    parser.add_argument(
        '--ann',
        help='PoseDataset pickle (default: '
        'synthetic random-walk clips)')
    parser.add_argument(
        '--num-clips', type=int, default=64, help='synthetic clips')
    parser.add_argument(
        '--batch-sizes',
        type=int,
        nargs='+',
        help='step rows at the first clip length (default 8 32 64); the '
        'first size also runs the clip-length scan')
    parser.add_argument(
        '--clip-lens',
        type=int,
        nargs='+',
        help='step rows at the first batch size (default 32 64 128); the '
        'first length is used by the pipeline and inference rows')
    parser.add_argument(
        '--threads',
        type=int,
        help='torch intra-op threads (default: torch\'s)')
    parser.add_argument('--infer-batch', type=int)
    parser.add_argument('--pipeline-clips', type=int)
    parser.add_argument('--repeats', type=int)
    parser.add_argument('--warmup', type=int)
    parser.add_argument(
        '--amp',
        action='store_true',
        help='bf16 autocast of the forward passes')
    parser.add_argument(
        '--peak-tflops',
        type=float,
        default=989.0,
        help='peak of the device for MFU (H100 bf16 dense)')
    parser.add_argument(
        '--profile',
        action='store_true',
        help='print the top-15 ops of one pre-training step')
    parser.add_argument(
        '--quick', action='store_true', help='tiny sizes for a smoke run')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--loss-balance',
        metavar='CONFIG',
        help='with --ann: also print the gradient ratio of lambda_s L_s vs '
        'L_m on the encoder at initialisation for this pre-training config '
        '(e.g. configs/masa_pretrain_wlasl.py)')
    parser.add_argument('--out', help='write the results as JSON here')
    args = parser.parse_args(argv)
    defaults = dict(
        batch_sizes=[2, 4] if args.quick else [8, 32, 64],
        clip_lens=[16, 32] if args.quick else [32, 64, 128],
        infer_batch=4 if args.quick else 64,
        pipeline_clips=8 if args.quick else 200,
        repeats=1 if args.quick else 5,
        warmup=0 if args.quick else 2)
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.device == 'cuda' and not torch.cuda.is_available():
        parser.error('--device cuda: no CUDA device found')
    return args


def main(argv: Optional[Sequence[str]] = None) -> Dict:
    """Run every row, print the table and optionally write the JSON.

    Args:
        argv (Sequence[str], optional): Arguments; defaults to sys.argv.

    Returns:
        dict: ``meta``, ``rows``, ``ratios`` and ``models``.
    """
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    init_default_scope('mmaction')
    MMLogger.get_current_instance().setLevel('WARNING')
    torch.manual_seed(args.seed)
    bench = Bench(args, _load_annotations(args))
    bench.pipelines()
    bench.models_rows()
    result = dict(
        meta=dict(
            device=args.device,
            device_name=(torch.cuda.get_device_name()
                         if args.device == 'cuda' else 'cpu'),
            torch=torch.__version__,
            threads=torch.get_num_threads(),
            preset=args.preset,
            amp=args.amp,
            repeats=args.repeats,
            warmup=args.warmup,
            data=args.ann or f'synthetic x{args.num_clips}',
            peak_tflops=args.peak_tflops),
        rows=bench.rows,
        ratios=bench.ratios(),
        models=bench.models)
    if args.loss_balance and args.ann:
        result['loss_balance'] = measure_loss_balance(
            Config.fromfile(osp.join(ROOT, args.loss_balance)),
            args.ann,
            seed=args.seed)
        print(
            'loss balance at init (grad ratio lambda_s L_s / L_m on the '
            f"encoder): {result['loss_balance']['ratio']:.3g}",
            json.dumps(result['loss_balance']))
    print(bench.table())
    print(
        json.dumps(
            dict(ratios=result['ratios'], models=result['models']), indent=1))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)
    return result


if __name__ == '__main__':
    main()
