"""Small MASA configs and batches for fast model tests."""
from typing import Callable, Dict, Iterator, List

import pytest
import torch

import mmaction_masa  # noqa: F401  (stack fixes + registration)
from mmaction.structures import ActionDataSample

#: Narrow widths: token width 3 * 8 = 24.
TINY_EMBEDDING = dict(
    type='PoseEmbedding',
    joint_channels=(8, 8, 12),
    group_channels=(16, 16),
    part_channels=8)
TINY_DIMS = 24


@pytest.fixture(autouse=True, scope='package')
def single_thread() -> Iterator[None]:
    """Run the tiny models on one CPU thread: their matrices are too small
    to gain from intra-op threads, and on a loaded 2-core CI machine the
    threads' contention makes every op many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def tiny_backbone_cfg() -> Dict:
    return dict(
        type='MASABackbone',
        embedding=TINY_EMBEDDING,
        embed_dims=TINY_DIMS,
        num_layers=2,
        num_heads=2,
        feedforward_channels=32,
        max_frames=64)


@pytest.fixture
def tiny_neck_cfg() -> Dict:
    return dict(
        type='MotionDecoder',
        embed_dims=TINY_DIMS,
        num_layers=1,
        num_heads=2,
        feedforward_channels=32,
        max_frames=64)


@pytest.fixture
def tiny_mask_head_cfg() -> Dict:
    return dict(
        type='MotionPredictionHead', in_channels=TINY_DIMS, hidden_channels=16)


@pytest.fixture
def tiny_align_head_cfg() -> Dict:
    return dict(
        type='MomentumAlignmentHead',
        in_channels=TINY_DIMS,
        hid_channels=16,
        out_channels=8,
        queue_len=10)


@pytest.fixture
def make_samples() -> Callable[..., List[ActionDataSample]]:
    """Data samples with the fields PackSignInputs attaches for MASA."""

    def make(masks: torch.Tensor,
             view_len: int = 6,
             num_joints: int = 49) -> List[ActionDataSample]:
        samples = []
        for mask in masks:
            t = len(mask)
            sample = ActionDataSample()
            sample.set_field(mask.clone(), 'motion_mask')
            sample.set_field(torch.randn(t, num_joints, 2), 'motion_target')
            sample.set_field(torch.rand(t, num_joints), 'motion_weight')
            sample.set_field(torch.rand(t, num_joints), 'joint_weight')
            sample.set_field(torch.randn(1, view_len, num_joints, 3), 'view2')
            samples.append(sample)
        return samples

    return make
