"""tools/eval_wlasl50_dev.py: reading finished runs and the summary table."""
import importlib.util
import json

import pytest


@pytest.fixture(scope='module')
def tool(repo_root):
    """Import ``tools/eval_wlasl50_dev.py`` as a module."""
    path = repo_root / 'tools' / 'eval_wlasl50_dev.py'
    spec = importlib.util.spec_from_file_location('tool_eval', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


METRICS = {
    'acc/top1': 0.5,
    'acc/top5': 0.75,
    'acc/class_top1': 0.25,
    'acc/class_top5': 1.0
}


def test_finished_metrics_reads_last_json_line(tool, tmp_path):
    log = tmp_path / 'masa_s0_test.log'
    log.write_text('loading\n' + json.dumps(dict(METRICS, **{
        'acc/top1': 0.1
    })) + '\nmore log\n' + json.dumps(dict(METRICS, extra=3)) + '\n')
    assert tool.finished_metrics(str(log)) == METRICS


@pytest.mark.parametrize('text', [None, 'crashed\n', '{"acc/top1": 0.5}\n'])
def test_unfinished_runs_are_not_reused(tool, tmp_path, text):
    log = tmp_path / 'x_test.log'
    if text is not None:
        log.write_text(text)
    assert tool.finished_metrics(str(log)) is None


def test_summary_is_mean_and_std_in_percent(tool):
    results = {
        'masa': {
            0: dict(METRICS),
            1: dict(METRICS, **{'acc/top1': 0.7})
        }
    }
    lines = tool.summarise(results).splitlines()
    assert lines[0].split() == ['variant', *tool.METRICS]
    cells = lines[1].split()
    assert cells[0] == 'masa'
    # acc/top1: values 50 and 70 -> 60.00 +- 10.00
    assert cells[1:4] == ['60.00', '+-', '10.00']
    # acc/top5 is the same for both seeds
    assert cells[4:7] == ['75.00', '+-', '0.00']


def test_resume_flag_parses(tool):
    args = tool.parse_args(['--seeds', '1', '--variants', 'scratch',
                            '--resume'])
    assert args.resume and args.seeds == [1]
    assert args.variants == ['scratch']
    assert not tool.parse_args([]).resume
