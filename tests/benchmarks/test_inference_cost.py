"""benchmarks/inference_cost.py times a config's test pipeline + model."""
from pathlib import Path

from benchmarks import inference_cost

ROOT = Path(__file__).resolve().parents[2]


def test_prints_clips_per_second(shared_data, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    config = 'configs/dev/masa_finetune_wlasl50dev.py'
    rates = inference_cost.main(
        [config, '--clips', '8', '--batch-size', '4', '--rounds', '1'])
    assert set(rates) == {config} and rates[config] > 0
    assert '(8 clips, median of 1 rounds' in capsys.readouterr().out
