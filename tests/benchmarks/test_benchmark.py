"""Smoke run of ``benchmarks/benchmark.py`` (``--quick --preset tiny``)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.benchmark import PRESETS, load_config, resample

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
    # The default whole-clip pre-training step: the two synthetic clips
    # have 60 frames each.
    whole = [r for r in rows if r['name'] == 'masa/pretrain_step_whole']
    assert len(whole) == 1 and whole[0]['batch'] == 2
    assert whole[0]['frames'] == 60
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


def test_resample_sets_the_clip_length() -> None:
    whole = [
        dict(type='SelectSignJoints'),
        dict(type='StrideCapFrames', max_frames=150),
        dict(type='MotionAwareMask')
    ]
    assert resample(whole, 16) == [
        dict(type='SelectSignJoints'),
        dict(type='SignSampleFrames', clip_len=16),
        dict(type='MotionAwareMask')
    ]
    assert resample(whole, None) == whole
    test = [
        dict(type='SignSampleFrames', clip_len=32, test_mode=True),
        dict(type='PackSignInputs')
    ]
    assert resample(test, 8) == [
        dict(type='SignSampleFrames', clip_len=8, test_mode=True),
        dict(type='PackSignInputs')
    ]
    assert test[0]['clip_len'] == 32  # the config is left as it was
    with pytest.raises(ValueError, match='no frame sampling'):
        resample([dict(type='PackSignInputs')], 16)


# The paper's backbone keeps MASABackbone's 512 positions (None = default).
@pytest.mark.parametrize('preset, dims, max_frames', [('paper', 1536, None),
                                                      ('tiny', 24, 512)])
def test_presets_are_the_repository_configs(preset, dims, max_frames) -> None:
    configs = {
        key: load_config(*spec)
        for key, spec in PRESETS[preset].items()
    }
    pretrain, finetune = configs['pretrain'].model, configs['finetune'].model
    assert (pretrain.type, finetune.type) == ('MASA', 'RecognizerGCN')
    for model in (pretrain, finetune):
        assert model.backbone.embed_dims == dims
        assert model.backbone.get('max_frames') == max_frames
    # Timed from random initialisation, with the WLASL2000 head.
    assert finetune.backbone.init_cfg is None
    assert finetune.cls_head.num_classes == 2000
    assert configs['stgcnpp'].model.backbone.type == 'SignSTGCN'
    assert configs['stgcnpp'].model.cls_head.num_classes == 2000
    assert configs['pretrain'].optim_wrapper.optimizer.type == 'AdamW'
    assert configs['finetune'].optim_wrapper.optimizer.lr == 0.01
    assert configs['stgcnpp'].optim_wrapper.optimizer.lr == 0.1
