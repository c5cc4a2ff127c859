"""Smoke run of ``benchmarks/benchmark.py`` (``--quick --preset tiny``)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

#: Rows of a quick run: (name, batch, frames) with its default sizes.
EXPECTED_ROWS = {
    ('pipeline/pretrain', 8, 16),
    ('pipeline/pretrain_whole', 8, 16),
    ('pipeline/finetune', 8, 16),
    *((name, batch, frames)
      for name in ('masa/pretrain_step', 'masa/finetune_step',
                   'stgcnpp/train_step')
      for batch, frames in ((2, 16), (4, 16), (2, 32))),
    *((f'{model}/{kind}', batch, 16) for model in ('masa', 'stgcnpp')
      for kind, batch in (('inference', 4), ('latency', 1))),
}
#: Ratios of the summary.
EXPECTED_RATIOS = {
    'pretrain_over_finetune_step_time', 'masa_finetune_over_stgcnpp_step_time',
    'pretrain_pipeline_over_pretrain_step_throughput',
    'finetune_pipeline_over_finetune_step_throughput',
    'masa_over_stgcnpp_inference_throughput', 'masa_over_stgcnpp_latency'
}


@pytest.fixture(scope='module')
def result(tmp_path_factory, repo_root: Path) -> dict:
    """The JSON of one quick CPU run."""
    out = tmp_path_factory.mktemp('bench') / 'bench.json'
    proc = subprocess.run([
        sys.executable, 'benchmarks/benchmark.py', '--quick', '--preset',
        'tiny', '--device', 'cpu', '--threads', '1', '--out',
        str(out)
    ],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert 'masa/pretrain_step' in proc.stdout
    return json.loads(out.read_text())


def test_every_row_has_positive_numbers(result: dict) -> None:
    rows = result['rows']
    # The default whole-clip pre-training step: padded to the longest of
    # the two synthetic clips (60 +- jitter frames).
    whole = [r for r in rows if r['name'] == 'masa/pretrain_step_whole']
    assert len(whole) == 1 and whole[0]['batch'] == 2
    assert 50 <= whole[0]['frames'] <= 70
    rows = [r for r in rows if r['name'] != 'masa/pretrain_step_whole']
    assert {(r['name'], r['batch'], r['frames']) for r in rows} == \
        EXPECTED_ROWS
    assert len(rows) == len(EXPECTED_ROWS)
    for row in rows:
        for key in ('time_ms', 'samples_per_s', 'peak_mem_mb'):
            assert row[key] > 0, (row['name'], key)
        assert row['samples_per_s'] == pytest.approx(row['batch'] /
                                                     row['time_ms'] * 1e3)
        if not row['name'].startswith('pipeline/'):
            assert row['gflops_per_sample'] > 0, row['name']
            assert row['tflops_per_s'] > 0, row['name']
        # MFU needs the peak of an accelerator.
        assert 'mfu' not in row


def test_flops_scale_with_clip_length(result: dict) -> None:
    rows = {(r['name'], r['batch'], r['frames']): r for r in result['rows']}
    # ST-GCN++ is convolutional in time: FLOPs per sample double with T.
    assert rows[('stgcnpp/train_step', 2, 32)]['gflops_per_sample'] == \
        pytest.approx(
            2 * rows[('stgcnpp/train_step', 2, 16)]['gflops_per_sample'],
            rel=0.01)
    # FLOPs per sample do not depend on the batch size (fine-tuning has no
    # random masking).
    assert rows[('masa/finetune_step', 4, 16)]['gflops_per_sample'] == \
        pytest.approx(
            rows[('masa/finetune_step', 2, 16)]['gflops_per_sample'],
            rel=1e-6)


def test_training_counts_two_to_three_forward_passes(result: dict) -> None:
    rows = {(r['name'], r['batch'], r['frames']): r for r in result['rows']}
    # Backward costs up to twice the forward matmuls (the first layer needs
    # no input gradient, hence more than 2 and at most 3 forward passes);
    # inference must count the Transformer layers too, although their fused
    # eval kernel is invisible to FlopCounterMode.
    for train, infer in (('masa/finetune_step', 'masa/inference'),
                         ('stgcnpp/train_step', 'stgcnpp/inference')):
        ratio = (
            rows[(train, 2, 16)]['gflops_per_sample'] /
            rows[(infer, 4, 16)]['gflops_per_sample'])
        assert 2 < ratio <= 3 + 1e-6, (train, ratio)


def test_summary(result: dict) -> None:
    assert set(result['ratios']) == EXPECTED_RATIOS
    assert all(value > 0 for value in result['ratios'].values())
    models = result['models']
    assert set(models) == {
        'masa_pretrain', 'masa_recognizer', 'stgcnpp_recognizer'
    }
    assert all(m['params'] > 0 for m in models.values())
    assert models['stgcnpp_recognizer']['gflops_per_clip'] > \
        models['masa_recognizer']['gflops_per_clip'] > 0
    assert result['meta']['preset'] == 'tiny'
    assert result['meta']['device'] == 'cpu'
