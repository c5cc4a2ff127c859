"""Converters from pose files and benchmark split files to annotations.

Used by the ``tools/data/`` scripts; importing this package does not import
mmpose's model API (see :mod:`.extraction`).
"""
from .benchmarks import msasl_index, slr500_index, wlasl_index
from .extraction import (INSTALL_HINT, build_pose_inferencer, extract_poses,
                         find_videos, video_shape)
from .mediapipe_poses import (MEDIAPIPE_INSTALL_HINT, HolisticEstimator,
                              extract_poses_mediapipe, extract_video_mediapipe,
                              mediapipe_to_sign_joints)
from .mp_data import (MP_DATA_LAYOUTS, build_mp_data_annotations,
                      read_mp_sequence, split_landmark_vectors)
from .pose_files import (build_annotations, index_pose_files,
                         load_mmpose_predictions, read_label_csv,
                         read_pose_file, select_signer, to_sign_joints,
                         write_annotation_file)
from .records import BuildResult, PoseTrack, VideoEntry
from .synthetic import make_synthetic_signs

__all__ = [
    'msasl_index', 'slr500_index', 'wlasl_index', 'INSTALL_HINT',
    'build_pose_inferencer', 'extract_poses', 'find_videos', 'video_shape',
    'MEDIAPIPE_INSTALL_HINT', 'HolisticEstimator', 'extract_poses_mediapipe',
    'extract_video_mediapipe', 'mediapipe_to_sign_joints', 'MP_DATA_LAYOUTS',
    'build_mp_data_annotations', 'read_mp_sequence', 'split_landmark_vectors',
    'BuildResult', 'PoseTrack', 'VideoEntry', 'build_annotations',
    'index_pose_files', 'load_mmpose_predictions', 'read_label_csv',
    'read_pose_file', 'select_signer', 'to_sign_joints',
    'write_annotation_file', 'make_synthetic_signs'
]
