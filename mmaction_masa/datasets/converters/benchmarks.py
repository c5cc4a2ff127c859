"""Clip lists of the ISLR benchmarks from their official split files.

Each ``*_index`` function is pure: it reads the metadata files and returns
:class:`~.records.VideoEntry` tuples (video id, label, split, 0-based
half-open frame range, gloss, signer). ``tools/data/build_*.py`` pair them
with per-video pose files to write annotation pickles.
"""
import csv
import io
import re
from pathlib import Path
from typing import List, Union

import mmengine

from .records import VideoEntry

__all__ = [
    'WLASL_SUBSETS', 'MSASL_SUBSETS', 'MSASL_SPLITS', 'SLR500_SPLITS',
    'wlasl_index', 'msasl_index', 'slr500_index'
]

WLASL_SUBSETS = (100, 300, 1000, 2000)
MSASL_SUBSETS = (100, 200, 1000)
MSASL_SPLITS = ('train', 'val', 'test')
SLR500_SPLITS = ('train', 'test')


def _check_subset(subset: int, allowed: tuple, name: str) -> None:
    """Raise a ValueError naming the benchmark if ``subset`` is not one of
    its ``allowed`` subsets."""
    if subset not in allowed:
        raise ValueError(f'{name} subset must be one of {allowed}, '
                         f'got {subset!r}')


def wlasl_index(metadata_dir: Union[str, Path],
                subset: int = 2000) -> List[VideoEntry]:
    """WLASL clips of ``nslt_{subset}.json``.

    Labels are the class ids of ``nslt_*.json``, which index the gloss order
    of ``WLASL_v0.3.json`` (= ``wlasl_class_list.txt``), so that WLASL``K``
    is the first ``K`` classes: ``nslt_K.json`` is the part of
    ``nslt_2000.json`` with class ``< K``. Video ids are WLASL's (the
    ``<video_id>.mp4`` names of its preprocessing). The frame range is the
    nslt ``action`` range (1-based, inclusive), converted to 0-based
    half-open; clips missing from ``WLASL_v0.3.json`` (a few of nslt) keep
    their gloss from the class id and have no signer.

    Args:
        metadata_dir (str | Path): Directory with ``WLASL_v0.3.json`` and
            ``nslt_{100,300,1000,2000}.json``.
        subset (int): 100, 300, 1000 or 2000. Defaults to 2000.

    Returns:
        list[VideoEntry]: One per clip, in nslt order, splits
        ``train``/``val``/``test``.

    Raises:
        ValueError: bad subset, or an nslt class id that disagrees with the
            video's gloss in ``WLASL_v0.3.json``.
    """
    _check_subset(subset, WLASL_SUBSETS, 'WLASL')
    metadata_dir = Path(metadata_dir)
    glosses = mmengine.load(str(metadata_dir / 'WLASL_v0.3.json'))
    names = [entry['gloss'] for entry in glosses]
    instances = {
        inst['video_id']: (label, inst)
        for label, entry in enumerate(glosses)
        for inst in entry['instances']
    }
    nslt_file = metadata_dir / f'nslt_{subset}.json'
    entries = []
    for video_id, item in mmengine.load(str(nslt_file)).items():
        label, start, end = item['action']
        gloss_label, inst = instances.get(video_id, (label, {}))
        if gloss_label != label:
            raise ValueError(
                f'{nslt_file}: video {video_id} has class {label} but gloss '
                f'{names[gloss_label]!r} (class {gloss_label}) in '
                'WLASL_v0.3.json')
        entries.append(
            VideoEntry(video_id, label, item['subset'], start - 1, end,
                       names[label], inst.get('signer_id')))
    return entries


def msasl_index(metadata_dir: Union[str, Path],
                subset: int = 1000) -> List[VideoEntry]:
    """MS-ASL clips of ``MS_ASL_SI_ASL1000_{train,val,test}.json``.

    MSASL100/200 are the clips with label < 100 / < 200. MS-ASL gives no
    clip file names: a clip's video id is ``<split>_<index>`` with its
    5-digit index in the split file (e.g. ``val_00042``), and its range is
    the file's ``start``/``end`` frames of the source video (taken as
    0-based, ``end`` inclusive). The gloss is the entry's ``text`` (one per
    label).

    Args:
        metadata_dir (str | Path): Directory with the three split files.
        subset (int): 100, 200 or 1000. Defaults to 1000.

    Returns:
        list[VideoEntry]: Clips of train, then val, then test.
    """
    _check_subset(subset, MSASL_SUBSETS, 'MSASL')
    entries = []
    for split in MSASL_SPLITS:
        path = Path(metadata_dir) / f'MS_ASL_SI_ASL1000_{split}.json'
        for i, item in enumerate(mmengine.load(str(path))):
            if item['label'] < subset:
                entries.append(
                    VideoEntry(f'{split}_{i:05d}', item['label'], split,
                               item['start'], item['end'] + 1, item['text'],
                               item.get('signer_id')))
    return entries


#: ``<label>/<stem = P<signer>_<a>_<b>_<repeat>._color>.<ext>``
_SLR500_PATH = re.compile(r'(\d+)/(P(\d+)_(\d+)_(\d+)_\d+\._color)\.\w+')

#: The paper's SLR500 split: signers 1-36 train (90,000 clips), 37-50 test
#: (35,000 clips).
SLR500_PAPER_TRAIN_SIGNERS = 36
SLR500_SPLIT_RULES = ('paper', 'csv')


def slr500_index(metadata_dir: Union[str, Path],
                 split_rule: str = 'paper') -> List[VideoEntry]:
    """SLR500 clips of ``split.{train,test}.csv``.

    Rows are ``video_path,class_name`` with paths ``<label>/P<signer>_<a>_
    <b>_<repeat>._color.mp4``. The label is the folder (the CSL word id,
    equal to ``(a - 1) * 20 + b`` of the file name, checked); the video id
    is the file stem (unique, as MMPoseInferencer names its output). The
    split is by signer: ``split_rule='paper'`` (default) puts signers 1-36
    in train and 37-50 in test, the 90,000 / 35,000 clips the paper
    reports; ``'csv'`` keeps the CSV files' split (``P01``-``P35`` train,
    ``P36``-``P50`` test: 87,445 / 37,500 clips). ``CSL/gloss_label.txt``
    lists the same 500 words in another order, so it is not used for
    labels.

    Args:
        metadata_dir (str | Path): Directory with ``split.train.csv`` and
            ``split.test.csv``.
        split_rule (str): ``'paper'`` or ``'csv'``. Defaults to 'paper'.

    Returns:
        list[VideoEntry]: Clips of train, then test, whole videos.

    Raises:
        ValueError: a path whose name does not match its folder label.
    """
    if split_rule not in SLR500_SPLIT_RULES:
        raise ValueError(f'split_rule must be one of {SLR500_SPLIT_RULES}, '
                         f'got {split_rule!r}')
    entries = []
    for split in SLR500_SPLITS:
        path = Path(metadata_dir) / f'split.{split}.csv'
        for row in csv.DictReader(io.StringIO(mmengine.get_text(str(path)))):
            match = _SLR500_PATH.fullmatch(row['video_path'])
            if not match or (int(match[4]) - 1) * 20 + int(match[5]) != int(
                    match[1]):
                raise ValueError(f'{path}: {row["video_path"]} does not name '
                                 'a clip of the label of its folder')
            signer = int(match[3])
            clip_split = split if split_rule == 'csv' else (
                'train' if signer <= SLR500_PAPER_TRAIN_SIGNERS else 'test')
            entries.append(
                VideoEntry(
                    match[2],
                    int(match[1]),
                    clip_split,
                    gloss=row['class_name'],
                    signer=signer))
    return entries
