"""User-facing APIs behind the ``tools/`` and ``demo/`` scripts: inference,
training and testing, score fusion, backbone export, the video demo and the
web page. Pose pictures are drawn by :mod:`mmaction_masa.visualization`;
research analyses live in :mod:`mmaction_masa.analysis`."""
from .inference import (build_test_pipeline, load_clips, load_recognizer,
                        predict_scores, resolve_class_names, topk_predictions)

__all__ = [
    'build_test_pipeline', 'load_recognizer', 'load_clips', 'predict_scores',
    'resolve_class_names', 'topk_predictions'
]
