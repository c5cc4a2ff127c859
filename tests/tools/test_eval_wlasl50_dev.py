"""tools/eval_wlasl50_dev.py: reading finished runs and the summary table."""
import json

import pytest

from .conftest import load_tool


@pytest.fixture(scope='module')
def tool(repo_root):
    """``tools/eval_wlasl50_dev.py`` as a module."""
    return load_tool(repo_root, 'eval_wlasl50_dev.py')


METRICS = {
    'acc/top1': 0.5,
    'acc/top5': 0.75,
    'acc/class_top1': 0.25,
    'acc/class_top5': 1.0
}


def test_finished_metrics_reads_last_json_line(tool, tmp_path):
    log = tmp_path / 'masa_s0_test.log'
    log.write_text('loading\n' +
                   json.dumps(dict(METRICS, **{'acc/top1': 0.1})) +
                   '\nmore log\n' + json.dumps(dict(METRICS, extra=3)) + '\n')
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
    args = tool.parse_args(
        ['--seeds', '1', '--variants', 'scratch', '--resume'])
    assert args.resume and args.seeds == [1]
    assert args.variants == ['scratch']
    assert not tool.parse_args([]).resume


def test_one_epoch_of_every_variant_end_to_end(tool, shared_data, tmp_path,
                                               capsys):
    # 16 clips per split in batches of 8: two iterations an epoch.
    small = [
        f'{split}_dataloader.{key}' for split in ('train', 'test')
        for key in ('dataset.indices=16', 'batch_size=8')
    ]
    out = tmp_path / 'results.json'
    results = tool.main([
        '--seeds', '0', '--pretrain-epochs', '1', '--finetune-epochs', '1',
        '--jobs', '2', '--work-dir',
        str(tmp_path), '--out',
        str(out), '--cfg-options', 'train_dataloader.dataset.indices=16',
        'train_dataloader.batch_size=8', '--finetune-options', *small
    ])
    assert set(results) == {'masa', 'scratch', 'stgcnpp'}
    for by_seed in results.values():
        assert set(by_seed) == {0}
        assert set(by_seed[0]) == set(tool.METRICS)
        assert all(0 <= v <= 1 for v in by_seed[0].values())
    assert json.loads(out.read_text()) == {
        v: {
            '0': m[0]
        }
        for v, m in results.items()
    }
    assert (tmp_path / 'pretrain_s0' / 'epoch_1.pth').is_file()
    table = capsys.readouterr().out.splitlines()[-4:]
    assert [row.split()[0]
            for row in table] == ['variant', 'masa', 'scratch', 'stgcnpp']
    # --resume reuses every finished run without training again.
    again = tool.main([
        '--seeds', '0', '--pretrain-epochs', '1', '--finetune-epochs', '1',
        '--work-dir',
        str(tmp_path), '--out',
        str(out), '--resume'
    ])
    assert again == results
    assert capsys.readouterr().out.count('reused') == 3


def test_parse_metrics_of_an_output(tool):
    output = 'log line\n' + json.dumps(dict(METRICS, extra=1)) + '\n'
    assert tool.parse_metrics(output) == METRICS
    assert tool.parse_metrics('no metrics\n') is None


def test_resume_reuses_only_checkpoints_that_load(tool, tmp_path):
    import torch
    good = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict={'w': torch.ones(3)}), good)
    assert tool.reusable_checkpoint(str(good))
    truncated = tmp_path / 'epoch_2.pth'
    truncated.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    assert not tool.reusable_checkpoint(str(truncated))
    assert not tool.reusable_checkpoint(str(tmp_path / 'missing.pth'))
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    assert not tool.reusable_checkpoint(str(empty))


@pytest.mark.parametrize('task,pretrain,finetune',
                         [('wlasl50_dev', 60, 40), ('signs35', 20, 15),
                          ('signs35_labels10pct', 20, 15),
                          ('signs35_labels2pct', 20, 15),
                          ('signs35_labels1pct', 20, 15)])
def test_task_configs_and_their_epochs(tool, repo_root, task, pretrain,
                                       finetune):
    configs = tool.TASKS[task]
    assert all((repo_root / c).is_file() for c in configs.values())
    assert tool.config_epochs(configs['pretrain']) == pretrain
    assert tool.config_epochs(configs['masa']) == finetune
    if 'stgcnpp' in configs:  # the control trains as long
        assert tool.config_epochs(configs['stgcnpp']) == finetune


def test_label_scarce_tasks_have_no_stgcnpp(tool, tmp_path):
    with pytest.raises(SystemExit, match='no ST-GCN'):
        tool.main([
            '--task', 'signs35_labels10pct', '--variants', 'stgcnpp',
            '--work-dir',
            str(tmp_path / 'runs')
        ])
    assert not (tmp_path / 'runs').exists()  # refused before any run


def test_pretrained_must_be_a_loadable_checkpoint(tool, tmp_path):
    args = tool.parse_args(
        ['--task', 'signs35', '--pretrained',
         str(tmp_path / 'missing.pth')])
    run = tool.Runner(str(tmp_path), threads=1)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        tool.run_seed(run, args, 'masa', 0)
    assert not list(tmp_path.iterdir())  # nothing was trained


def test_interrupted_runs_continue_from_their_last_checkpoint(tool, tmp_path):
    import torch
    assert not tool.interrupted_run(str(tmp_path))  # nothing trained yet
    ckpt = tmp_path / 'epoch_3.pth'
    torch.save(dict(meta=dict(epoch=3), state_dict={'w': torch.ones(1)}), ckpt)
    (tmp_path / 'last_checkpoint').write_text(str(ckpt))
    assert tool.interrupted_run(str(tmp_path))
    ckpt.write_bytes(ckpt.read_bytes()[:20])  # killed while saving
    assert not tool.interrupted_run(str(tmp_path))
