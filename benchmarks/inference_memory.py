"""Peak memory of inference over many clips: streamed vs. all in memory.

For each size N (default 500 and 20,000) the first N clips of an annotation
pickle (default ``../shared/data/real/signs_multisigner_dev.pkl``, 20,624
real clips) are written to a temporary pickle, and a fresh subprocess runs
inference over it with a small randomly initialised recognizer (no
checkpoint needed) in one of two modes:

* ``stream`` -- what ``tools/infer.py`` does: :func:`iter_clips` reads the
  pickle one clip at a time, :func:`iter_predictions` scores batch by batch
  and :class:`PredictionWriter` writes each result as it comes (JSON
  lines);
* ``full`` -- the previous ``tools/infer.py``: :func:`load_clips` (the whole
  pickle, validated), :func:`predict_scores` (all scores),
  :func:`topk_predictions` and one ``json.dumps`` of every result.

Each subprocess reports its peak RSS (``VmHWM``, else ``ru_maxrss``)
and its RSS after the imports and the model build (the fixed cost), so
"peak - base" is what inference itself needed. Example::

    python benchmarks/inference_memory.py --sizes 500 20000 --modes stream full
"""
import argparse
import json
import os
import os.path as osp
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

if TYPE_CHECKING:
    from mmengine.config import Config

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))

__all__ = [
    'DEFAULT_ANN_FILE', 'MODES', 'TINY_CONFIG', 'tiny_config', 'write_subset',
    'run_child', 'measure', 'format_table', 'parse_args', 'main'
]

#: The real multi-signer development pickle (20,624 clips, 49 joints).
DEFAULT_ANN_FILE = osp.join(ROOT, '..', 'shared', 'data', 'real',
                            'signs_multisigner_dev.pkl')
#: Inference modes measured.
MODES = ('stream', 'full')
#: The tiny recognizer measured (randomly initialised, no checkpoint).
TINY_CONFIG = osp.join(ROOT, 'configs', 'dev', 'masa_finetune_tiny.py')


def tiny_config(num_classes: int, clip_len: int = 16) -> 'Config':
    """The tiny MASA recognizer of :data:`TINY_CONFIG` with its test
    pipeline (49 joints).

    Args:
        num_classes (int): Classes of the head.
        clip_len (int): Frames per test clip (the test pipeline's
            ``SignSampleFrames``). Defaults to 16.

    Returns:
        mmengine.Config: The config (``model`` and
        ``test_dataloader.dataset.pipeline``).

    Raises:
        ValueError: the test pipeline samples no frames (see
            :func:`benchmarks.benchmark.resample`).
    """
    from mmengine.config import Config

    from benchmarks.benchmark import resample
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.model.cls_head.num_classes = num_classes
    dataset = cfg.test_dataloader.dataset
    dataset.pipeline = resample(dataset.pipeline, clip_len)
    return cfg


def write_subset(annotations: Sequence[Dict], size: int, path: str) -> str:
    """Write the first ``size`` annotations as a pickle (protocol 4).

    Args:
        annotations (Sequence[dict]): Source clips.
        size (int): Clips kept.
        path (str): Output file.

    Returns:
        str: ``path``.

    Raises:
        ValueError: ``size`` is not in ``[1, len(annotations)]``.
    """
    if not 1 <= size <= len(annotations):
        raise ValueError(f'size must be in [1, {len(annotations)}], got '
                         f'{size}')
    with open(path, 'wb') as file:
        pickle.dump(
            dict(annotations=list(annotations[:size])), file, protocol=4)
    return path


def _rss_mb() -> float:
    """Peak RSS of this process in MiB: ``VmHWM`` of ``/proc/self/status``
    (reset by ``exec``; ``ru_maxrss`` keeps the parent's peak across
    ``exec`` on Linux, so it is only the fallback elsewhere)."""
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, ann_file: str, num_classes: int, out: str,
           batch_size: int, threads: int) -> Dict:
    """Run one inference in this process; return its figures."""
    import torch
    torch.set_num_threads(threads)

    import mmaction_masa  # noqa: F401  registries
    from mmaction_masa.apis.inference import (PredictionWriter,
                                              build_test_pipeline, iter_clips,
                                              iter_predictions, load_clips,
                                              load_recognizer, predict_scores,
                                              topk_predictions)
    model, cfg, _ = load_recognizer(tiny_config(num_classes))
    pipeline = build_test_pipeline(cfg)
    names = [f'class{i}' for i in range(num_classes)]
    base = _rss_mb()
    start = time.perf_counter()
    if mode == 'stream':
        with PredictionWriter(out) as writer:
            for result in iter_predictions(model, pipeline,
                                           iter_clips([ann_file]), names,
                                           batch_size):
                writer.write(result)
        count = writer.count
    elif mode == 'full':
        clips = load_clips([ann_file])
        scores = predict_scores(model, pipeline, clips, batch_size)
        results = topk_predictions(scores, clips, names)
        with open(out, 'w') as file:
            file.write(json.dumps(results, indent=1))
        count = len(results)
    else:
        raise ValueError(f'mode must be one of {MODES}, got {mode!r}')
    return dict(
        mode=mode,
        clips=count,
        base_rss_mb=round(base, 1),
        peak_rss_mb=round(_rss_mb(), 1),
        seconds=round(time.perf_counter() - start, 1))


def run_child(mode: str,
              ann_file: str,
              num_classes: int,
              out: str,
              batch_size: int = 16,
              threads: int = 1) -> Dict:
    """Run :func:`_child` in a fresh interpreter (its own peak RSS).

    Args:
        mode (str): ``'stream'`` or ``'full'``.
        ann_file (str): The annotation pickle.
        num_classes (int): Classes of the tiny model.
        out (str): The results file it writes (``.jsonl`` for ``stream``).
        batch_size (int): Clips per forward pass. Defaults to 16.
        threads (int): Torch threads. Defaults to 1.

    Returns:
        dict: ``mode``, ``clips``, ``base_rss_mb``, ``peak_rss_mb``,
        ``seconds``.

    Raises:
        RuntimeError: the subprocess failed (its stderr is in the message).
    """
    command = [
        sys.executable,
        osp.abspath(__file__), '--child', mode, ann_file,
        str(num_classes), out,
        str(batch_size),
        str(threads)
    ]
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    proc = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f'{mode} inference on {ann_file} failed:\n'
                           f'{proc.stderr[-3000:]}')
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(ann_file: str,
            sizes: Sequence[int],
            modes: Sequence[str] = MODES,
            batch_size: int = 16,
            threads: int = 1,
            work_dir: Optional[str] = None) -> List[Dict]:
    """Peak RSS of every mode at every size.

    Args:
        ann_file (str): Source annotation pickle.
        sizes (Sequence[int]): Numbers of clips.
        modes (Sequence[str]): Modes among :data:`MODES`. Defaults to both.
        batch_size (int): Clips per forward pass. Defaults to 16.
        threads (int): Torch threads of each run. Defaults to 1.
        work_dir (str, optional): Where the subsets and results go; None: a
            temporary folder, removed afterwards. Defaults to None.

    Returns:
        list[dict]: One row per (size, mode), with ``size`` added.

    Raises:
        ValueError: an unknown mode or a size above the file's clips.
    """
    from mmaction_masa.datasets.validation import load_annotation_file
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f'modes must be among {MODES}, got {sorted(unknown)}')
    annotations, _ = load_annotation_file(ann_file)
    num_classes = max(int(a.get('label', 0)) for a in annotations) + 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = work_dir or tmp
        os.makedirs(folder, exist_ok=True)
        subsets = {
            size:
            write_subset(annotations, size,
                         osp.join(folder, f'clips_{size}.pkl'))
            for size in sizes
        }
        del annotations
        for size in sizes:
            for mode in modes:
                suffix = '.jsonl' if mode == 'stream' else '.json'
                out = osp.join(folder, f'results_{mode}_{size}{suffix}')
                row = run_child(mode, subsets[size], num_classes, out,
                                batch_size, threads)
                rows.append(dict(row, size=size))
                print(
                    format_table(rows[-1:], header=not rows[:-1]), flush=True)
    return rows


def format_table(rows: Sequence[Dict], header: bool = True) -> str:
    """Rows as a Markdown table (``peak - base`` = inference's own need).

    Args:
        rows (Sequence[dict]): From :func:`measure`.
        header (bool): Include the header lines. Defaults to True.

    Returns:
        str: The table.
    """
    lines = [
        '| clips | mode | base RSS MB | peak RSS MB | peak - base MB | s |',
        '|---:|---|---:|---:|---:|---:|'
    ] if header else []
    for row in rows:
        lines.append(f'| {row["size"]} | {row["mode"]} | '
                     f'{row["base_rss_mb"]:.0f} | {row["peak_rss_mb"]:.0f} | '
                     f'{row["peak_rss_mb"] - row["base_rss_mb"]:.0f} | '
                     f'{row["seconds"]:.1f} |')
    return '\n'.join(lines)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line options.

    Raises:
        SystemExit: invalid options (argparse's message).
    """
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--ann-file',
        default=DEFAULT_ANN_FILE,
        help='annotation pickle the subsets are cut from')
    parser.add_argument(
        '--sizes',
        type=int,
        nargs='+',
        default=[500, 20000],
        help='numbers of clips')
    parser.add_argument(
        '--modes',
        nargs='+',
        choices=MODES,
        default=list(MODES),
        help='stream (tools/infer.py) and/or full (all in '
        'memory, the previous tools/infer.py)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--work-dir', help='keep the subsets and results here')
    parser.add_argument('--out', help='also write the rows as JSON')
    args = parser.parse_args(argv)
    if min(args.sizes) < 1:
        parser.error(f'--sizes must be >= 1, got {args.sizes}')
    if args.batch_size < 1 or args.threads < 1:
        parser.error('--batch-size and --threads must be >= 1')
    if not osp.isfile(args.ann_file):
        parser.error(f'annotation file not found: {args.ann_file}')
    return args


def main(argv: Optional[Sequence[str]] = None) -> List[Dict]:
    """Measure and print the table; return the rows."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ['--child']:
        mode, ann_file, num_classes, out, batch, threads = argv[1:7]
        print(
            json.dumps(
                _child(mode, ann_file, int(num_classes), out, int(batch),
                       int(threads))))
        return []
    args = parse_args(argv)
    rows = measure(args.ann_file, args.sizes, args.modes, args.batch_size,
                   args.threads, args.work_dir)
    print()
    print(format_table(rows))
    if args.out:
        with open(args.out, 'w') as file:
            json.dump(rows, file, indent=1)
    return rows


if __name__ == '__main__':
    main()
