"""Pack sign-pose samples into model inputs and data samples."""
from typing import Dict, Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform, to_tensor

from mmaction.registry import TRANSFORMS
from mmaction.structures import ActionDataSample
from ._utils import check_pose, require, sample_name

__all__ = ['PackSignInputs']

#: Algorithm key packed from ``view2_keypoint`` + ``view2_keypoint_score``.
VIEW2 = 'view2'


def stack_pose(keypoint: np.ndarray, score: np.ndarray,
               num_clips: int) -> torch.Tensor:
    """``[x, y, score]`` as a float32 tensor (num_clips, M, T / nc, V, 3).

    Args:
        keypoint (np.ndarray): (M, T, V, 2), clips concatenated along T.
        score (np.ndarray): (M, T, V).
        num_clips (int): Clips along T; T must be divisible by it.
    """
    pose = np.concatenate([keypoint, score[..., None]], axis=-1)
    num_person, num_frames, num_joints, channels = pose.shape
    pose = pose.reshape(num_person, num_clips, num_frames // num_clips,
                        num_joints, channels).transpose(1, 0, 2, 3, 4)
    return torch.from_numpy(np.ascontiguousarray(pose, dtype=np.float32))


@TRANSFORMS.register_module()
class PackSignInputs(BaseTransform):
    """Pack a sign sample into ``inputs`` and an ``ActionDataSample``.

    ``inputs`` is ``[x, y, score]`` as a float32 tensor of shape
    ``(num_clips, M, T, V, 3)``: MMAction2's skeleton convention (that of
    ``FormatGCNInput``), which ``RecognizerGCN`` expects after batching,
    ``(N, num_clips, M, T, V, 3)``; with one clip (the default)
    ``inputs[0]`` is the clip. The label (when present) becomes ``gt_label``,
    the ``meta_keys`` present in the sample become metainfo, and every name
    in ``algorithm_keys`` becomes a tensor field of the data sample with the
    same name, except ``'view2'``, which is packed from ``view2_keypoint`` and
    ``view2_keypoint_score`` like ``inputs`` (``(num_clips, M, T2, V, 3)``).

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2).
        - keypoint_score (np.ndarray): (M, T, V).
        - num_clips (int, optional): defaults to 1.
        - label (int, optional)
        - the ``algorithm_keys`` (``view2_keypoint`` and
          ``view2_keypoint_score`` for ``'view2'``)

    Added Keys:

        - inputs (torch.Tensor)
        - data_samples (ActionDataSample)

    Args:
        algorithm_keys (Sequence[str]): Fields for the algorithm, e.g.
            ``('motion_mask', 'motion_target', 'motion_weight',
            'joint_weight', 'view2')`` for MASA pre-training. Defaults to
            ``()``.
        meta_keys (Sequence[str]): Keys copied into the metainfo when present.
            Defaults to ``('frame_dir', 'img_shape', 'label',
            'total_frames')``.
    """

    def __init__(
        self,
        algorithm_keys: Sequence[str] = (),
        meta_keys: Sequence[str] = ('frame_dir', 'img_shape', 'label',
                                    'total_frames')
    ) -> None:
        self.algorithm_keys = tuple(algorithm_keys)
        self.meta_keys = tuple(meta_keys)

    @staticmethod
    def _pose(results: Dict, prefix: str = '') -> torch.Tensor:
        """The packed pose tensor of ``{prefix}keypoint(_score)``."""
        keypoint, score = check_pose(results, 'PackSignInputs', prefix)
        num_clips = results.get('num_clips', 1)
        if num_clips < 1 or keypoint.shape[1] % num_clips:
            raise ValueError(
                f'PackSignInputs: sample {sample_name(results)!r} field '
                f"'{prefix}keypoint' has {keypoint.shape[1]} frames, not a "
                f'multiple of num_clips={num_clips}')
        return stack_pose(keypoint, score, num_clips)

    def transform(self, results: Dict) -> Dict:
        """Pack the sample.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``inputs`` and ``data_samples``.
        """
        data_sample = ActionDataSample()
        if 'label' in results:
            data_sample.set_gt_label(results['label'])
        for key in self.algorithm_keys:
            value = (
                self._pose(results, 'view2_') if key == VIEW2 else to_tensor(
                    require(results, key, 'PackSignInputs')))
            data_sample.set_field(value, key)
        data_sample.set_metainfo(
            {key: results[key]
             for key in self.meta_keys if key in results})
        return dict(inputs=self._pose(results), data_samples=data_sample)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'algorithm_keys={self.algorithm_keys}, '
                f'meta_keys={self.meta_keys})')
