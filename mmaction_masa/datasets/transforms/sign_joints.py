"""Select MASA's 49 sign joints from COCO-WholeBody keypoints."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from ...sign_layout import (COCO_WHOLEBODY_INDICES, NUM_JOINTS,
                            NUM_WHOLEBODY_JOINTS)
from ._utils import check_pose, sample_name

__all__ = ['SelectSignJoints']


@TRANSFORMS.register_module()
class SelectSignJoints(BaseTransform):
    """Keep the 49 sign joints (7 upper-body + 2 x 21 hand joints).

    133-joint COCO-WholeBody poses (raw MMPose output) are reduced with
    :data:`mmaction_masa.sign_layout.COCO_WHOLEBODY_INDICES`; 49-joint poses
    pass through unchanged (as float32).

    Required Keys:

        - keypoint (np.ndarray): (M, T, V, 2), V in {49, 133}.
        - keypoint_score (np.ndarray): (M, T, V).

    Modified Keys:

        - keypoint: (M, T, 49, 2) float32.
        - keypoint_score: (M, T, 49) float32.

    Raises:
        ValueError: V is neither 49 nor 133, or the score shape disagrees
            with the keypoint shape (the message names ``frame_dir`` and the
            field).
    """

    def transform(self, results: Dict) -> Dict:
        """Select the sign joints.

        Args:
            results (dict): The sample.

        Returns:
            dict: The sample with 49 joints.
        """
        keypoint, score = check_pose(results, 'SelectSignJoints')
        num_joints = keypoint.shape[2]
        if num_joints == NUM_WHOLEBODY_JOINTS:
            index = np.asarray(COCO_WHOLEBODY_INDICES)
            keypoint, score = keypoint[:, :, index], score[:, :, index]
        elif num_joints != NUM_JOINTS:
            raise ValueError(
                f'SelectSignJoints: sample {sample_name(results)!r} field '
                f"'keypoint' has {num_joints} joints; expected "
                f'{NUM_JOINTS} (sign layout) or {NUM_WHOLEBODY_JOINTS} '
                '(COCO-WholeBody)')
        results['keypoint'] = np.ascontiguousarray(keypoint)
        results['keypoint_score'] = np.ascontiguousarray(score)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
