"""Shuffling BN: one process, and two real (gloo) ranks in forked
processes."""
import multiprocessing
import traceback

import torch
import torch.distributed as torch_dist

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction_masa.models.selfsup.batch_shuffle import (batch_shuffle,
                                                        batch_unshuffle)
from mmaction_masa.models.selfsup.masa import stack_views
from mmaction_masa.models.utils import all_gather_batch
from mmaction_masa.sign_layout import NUM_JOINTS

#: Per rank: batch size and the number of real frames of each sample (the
#: ranks differ in both, as with a last, smaller batch).
RANK_LENGTHS = ([4, 2, 3], [6, 1])


def _padded_batch(lengths, first_id):
    """``(n, max(lengths), 2)``: sample i holds its global id + 1 in its
    real frames and zeros after them."""
    x = torch.zeros(len(lengths), max(lengths), 2)
    for i, length in enumerate(lengths):
        x[i, :length] = first_id + i + 1
    return x, torch.tensor(lengths)


def test_single_process_shuffle_is_a_permutation_and_undone():
    torch.manual_seed(0)
    x, lengths = _padded_batch([3, 1, 4, 2, 5, 2, 1, 3], 0)
    (shard_x, shard_len), state = batch_shuffle(x, lengths)
    assert state.offset == 0 and state.size == 8
    assert sorted(state.order.tolist()) == list(range(8))
    assert state.order.tolist() != list(range(8))  # really shuffled
    torch.testing.assert_close(shard_x, x[state.order])
    torch.testing.assert_close(shard_len, lengths[state.order])
    torch.testing.assert_close(batch_unshuffle(shard_x * 10, state), x * 10)


def _tiny_masa():
    torch.manual_seed(0)
    embedding = dict(
        type='PoseEmbedding',
        joint_channels=(8, 8, 12),
        group_channels=(16, 16),
        part_channels=8)
    model = MODELS.build(
        dict(
            type='MASA',
            backbone=dict(
                type='MASABackbone',
                embedding=embedding,
                embed_dims=24,
                num_layers=1,
                num_heads=2,
                feedforward_channels=32,
                max_frames=16),
            align_head=dict(
                type='MomentumAlignmentHead',
                in_channels=24,
                hid_channels=16,
                out_channels=8,
                queue_len=10)))
    model.init_weights()
    return model.eval()


def _view_samples(lengths, seed):
    generator = torch.Generator().manual_seed(seed)
    samples = []
    for length in lengths:
        sample = ActionDataSample()
        sample.set_field(
            torch.randn(1, 1, length, NUM_JOINTS, 3, generator=generator),
            'view2')
        samples.append(sample)
    return samples


def _rank_main(rank, world_size, init_file, out_dir):
    """One rank: shuffle, gather, enqueue and encode keys; save results."""
    try:
        torch_dist.init_process_group(
            'gloo',
            init_method=f'file://{init_file}',
            rank=rank,
            world_size=world_size)
        torch.manual_seed(100 + rank)  # ranks draw different permutations
        lengths = RANK_LENGTHS[rank]
        first_id = sum(len(ls) for ls in RANK_LENGTHS[:rank])
        x, length_t = _padded_batch(lengths, first_id)
        (shard_x, shard_len), state = batch_shuffle(x, length_t)
        restored = batch_unshuffle(shard_x[:, 0, 0] * 10, state)
        gathered, sizes = all_gather_batch(x)

        model = _tiny_masa()
        keys_in = torch.full((len(lengths), 8), float(rank))
        model.align_head.enqueue(keys_in)
        samples = _view_samples(lengths, seed=rank)
        keys = model.momentum_keys(samples)
        view, view_len = stack_views(samples)
        with torch.no_grad():
            local_keys = model._encode_keys(view, view_len)
        torch.save(
            dict(
                order=state.order,
                offset=state.offset,
                size=state.size,
                shard_x=shard_x,
                shard_len=shard_len,
                restored=restored,
                gathered=gathered,
                sizes=sizes,
                queue=model.align_head.queue,
                queue_ptr=model.align_head.queue_ptr,
                keys=keys,
                local_keys=local_keys), f'{out_dir}/rank{rank}.pt')
        torch_dist.destroy_process_group()
    except BaseException:
        with open(f'{out_dir}/rank{rank}.err', 'w') as f:
            f.write(traceback.format_exc())
        raise


def test_two_ranks(tmp_path):
    ctx = multiprocessing.get_context('fork')
    procs = [
        ctx.Process(
            target=_rank_main, args=(rank, 2, tmp_path / 'init', tmp_path))
        for rank in (0, 1)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
    errors = [p.read_text() for p in sorted(tmp_path.glob('*.err'))]
    assert not errors, '\n'.join(errors)
    assert [proc.exitcode for proc in procs] == [0, 0]
    results = [torch.load(tmp_path / f'rank{r}.pt') for r in (0, 1)]

    # Both ranks use rank 0's permutation of the 5 global samples.
    order = results[0]['order']
    torch.testing.assert_close(results[1]['order'], order)
    assert sorted(order.tolist()) == list(range(5))
    assert [(r['offset'], r['size']) for r in results] == [(0, 3), (3, 2)]

    # The global batch: rank order, time zero-padded to 6 frames.
    x0, len0 = _padded_batch(RANK_LENGTHS[0], 0)
    x1, len1 = _padded_batch(RANK_LENGTHS[1], 3)
    full_x = torch.cat([torch.cat([x0, torch.zeros(3, 2, 2)], 1), x1])
    full_len = torch.cat([len0, len1])
    for res in results:
        assert res['sizes'] == [3, 2]
        torch.testing.assert_close(res['gathered'], full_x)
    # Each rank's shard is its slice of the permuted global batch, lengths
    # (the padding masks) travelling with their samples.
    for res in results:
        shard = order[res['offset']:res['offset'] + res['size']]
        torch.testing.assert_close(res['shard_x'], full_x[shard])
        torch.testing.assert_close(res['shard_len'], full_len[shard])
    # Unshuffling gives every rank its own samples' outputs, in order.
    torch.testing.assert_close(results[0]['restored'],
                               torch.tensor([10., 20., 30.]))
    torch.testing.assert_close(results[1]['restored'], torch.tensor([40.,
                                                                     50.]))

    # enqueue gathers the keys of both ranks (3 + 2), in rank order.
    expected_queue = torch.cat([torch.zeros(3, 8), torch.ones(2, 8)])
    for res in results:
        torch.testing.assert_close(res['queue'][:5], expected_queue)
        assert int(res['queue_ptr']) == 5

    # Shuffled keys equal keys encoded without shuffling (eval-mode BN is
    # per sample), so views of different lengths kept their padding masks.
    for res in results:
        torch.testing.assert_close(res['keys'], res['local_keys'])
