"""User-facing APIs behind the ``tools/`` scripts: inference, pose
visualisation, analysis plots, score fusion and backbone export."""
from .inference import (build_test_pipeline, load_clips, load_recognizer,
                        predict_scores, resolve_class_names, topk_predictions)

__all__ = [
    'build_test_pipeline', 'load_recognizer', 'load_clips', 'predict_scores',
    'resolve_class_names', 'topk_predictions'
]
