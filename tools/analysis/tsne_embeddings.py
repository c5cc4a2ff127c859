"""Plot a recognizer's backbone embeddings of annotated clips in 2-D.

Every clip of ANN (an annotation pickle; ``--split`` picks a split) runs
through the config's test pipeline; the backbone features, averaged over
time and persons, are projected with t-SNE (scikit-learn) or, without
scikit-learn or with ``--method pca``, with PCA, and drawn coloured by
class.

Example::

    python tools/analysis/tsne_embeddings.py CONFIG CKPT data/wlasl100.pkl \\
        --split test --out tsne.png
"""
import argparse
import sys

import mmaction_masa  # noqa: F401  registries + stack fixes
from mmaction_masa.analysis.plots import (extract_embeddings, plot_embedding,
                                          project_2d)
from mmaction_masa.apis import (build_test_pipeline, load_recognizer,
                                resolve_class_names)
from mmaction_masa.apis.inference import load_annotation_clips


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='2-D map of backbone embeddings, coloured by class')
    parser.add_argument('config', help='config file of the recognizer')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('ann_file', help='annotation pickle')
    parser.add_argument('--split', help='split of the pickle (default: all)')
    parser.add_argument('--out', default='embeddings.png', help='PNG file')
    parser.add_argument(
        '--method',
        choices=['auto', 'tsne', 'pca'],
        default='auto',
        help='projection (auto: t-SNE if scikit-learn is installed)')
    parser.add_argument('--class-list', help='class names, one a line')
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    try:
        clips = load_annotation_clips(args.ann_file, args.split)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 2
    labelled = [clip for clip in clips if clip['label'] >= 0]
    if len(labelled) < 2:
        print(
            f'error: {args.ann_file} has {len(labelled)} labelled clips; '
            'need at least 2',
            file=sys.stderr)
        return 2
    model, cfg, meta = load_recognizer(args.config, args.checkpoint,
                                       args.device)
    features = extract_embeddings(model, build_test_pipeline(cfg), labelled)
    coords, method = project_2d(features, args.method)
    labels = [clip['label'] for clip in labelled]
    names = resolve_class_names(
        max(max(labels) + 1, model.cls_head.num_classes), args.class_list,
        meta, labelled)
    plot_embedding(
        coords, labels, names, args.out,
        f'{method.upper()} of {len(labelled)} clips '
        f'({features.shape[1]}-d backbone features)')
    print(f'wrote {args.out} ({method}, {len(labelled)} clips)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
