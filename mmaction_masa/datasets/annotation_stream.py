"""Read an annotation pickle one clip at a time, in bounded memory.

``pickle.load`` builds the whole file at once: a 20,000-clip annotation
file costs its full size in memory (twice while the bytes are read first),
however few clips are in use at a time. :func:`iter_annotations` runs the
pickle machine opcode by opcode instead (the stdlib's pure-Python
unpickler) and hands out the clips of the ``annotations`` list as the
pickler's ``APPENDS`` batches (1,000 items at most) complete, then forgets
them: the memo entries of a handed-out clip's arrays, dicts and large
bytes are dropped, so memory stays bounded by one batch plus the small
shared objects (dict keys, dtypes), whatever the number of clips.

The same allow-list as :func:`~mmaction_masa.safe_loading.restricted_loads`
applies (numpy arrays and builtin values only, unless
``MMACTION_MASA_TRUST_PICKLES=1``). A file whose clips share an array with
a later clip (never written by our converters) cannot be streamed; it is
then read in full, transparently.
"""
import io
import pickle
from typing import Any, Dict, Iterator, List, Optional, Tuple

import mmengine
import numpy as np

from ..safe_loading import (ANNOTATION_SAFE_GLOBALS, RestrictedUnpickler,
                            UnsafePickleError, trust_pickles)
from .validation import AnnotationError, load_annotation_file

__all__ = ['AnnotationStream', 'iter_annotations']

#: Bytes / str objects at most this long stay in the memo when a clip is
#: handed out (dict keys and numpy's one-byte type codes are shared).
_SMALL = 256


class _PrunedReference(pickle.UnpicklingError):
    """A later clip refers to an object of a clip already handed out."""


def _prunable(value: Any, strict: bool) -> bool:
    """Whether a memo entry is clip data (dropped once the clip is out).

    Args:
        value: The memo entry.
        strict (bool): Drop only arrays, containers, large bytes / str and
            tuples holding them (the retry after a clip referred to a
            dropped object); else also tuples, except pairs of
            numbers (an ``img_shape`` constant of the converter is one
            object shared by every clip) and non-container objects (types,
            functions, dtypes).
    """
    if isinstance(value, (np.ndarray, dict, list, set, bytearray)):
        return True
    if isinstance(value, (bytes, str)):
        return len(value) > _SMALL
    if isinstance(value, tuple):
        if strict:
            return any(_prunable(item, strict) for item in value)
        return not (len(value) == 2
                    and all(isinstance(item, (int, float)) for item in value))
    return False


class _StreamingUnpickler(pickle._Unpickler):
    """The pure-Python unpickler, restricted, with a streaming ``load``.

    Args:
        file: A binary file object.
        source (str): Name of the file (for error messages).
        strict (bool): Forget less of each handed-out clip (see
            :func:`_prunable`). Defaults to False.
    """

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, source: str, strict: bool = False) -> None:
        super().__init__(file)
        self.strict = strict
        self.source = source
        self.allowed = ANNOTATION_SAFE_GLOBALS
        self.target: Optional[list] = None
        self.top: Any = None
        self._memo_next = 0
        self._memo_mark = 0

    def find_class(self, module: str, name: str) -> Any:
        """An allowed global (any global when the user trusts pickles).

        Raises:
            UnsafePickleError: ``module.name`` is not allowed.
        """
        if trust_pickles():
            return super().find_class(module, name)
        return RestrictedUnpickler.find_class(self, module, name)

    # Memo indices count MEMOIZE calls (the stdlib uses len(memo), which
    # dropping entries would break).
    def load_memoize(self) -> None:
        self.memo[self._memo_next] = self.stack[-1]
        self._memo_next += 1

    dispatch[pickle.MEMOIZE[0]] = load_memoize

    def _get(self, index: int) -> None:
        try:
            self.append(self.memo[index])
        except KeyError:
            if self.target is not None and 0 <= index < self._memo_mark:
                raise _PrunedReference(index) from None
            raise pickle.UnpicklingError(
                f'Memo value not found at index {index}') from None

    def load_binget(self) -> None:
        self._get(self.read(1)[0])

    def load_long_binget(self) -> None:
        self._get(int.from_bytes(self.read(4), 'little'))

    def load_get(self) -> None:
        self._get(int(self.readline()[:-1]))

    dispatch[pickle.BINGET[0]] = load_binget
    dispatch[pickle.LONG_BINGET[0]] = load_long_binget
    dispatch[pickle.GET[0]] = load_get

    def load_empty_list(self) -> None:
        # The clip list: the top-level object, or the value of the top
        # dict's 'annotations' key (a key sits at an odd depth of the
        # SETITEMS mark: k1 v1 k2 v2 ... k; or right after the dict when it
        # has this one key).
        new: list = []
        if self.target is None:
            self._memo_mark = self._memo_next  # what came before stays
            if not self.metastack and not self.stack:
                self.target = new
            elif (len(self.metastack) == 1 and len(self.metastack[0]) == 1
                  and isinstance(self.metastack[0][0], dict)
                  and len(self.stack) % 2 == 1
                  and self.stack[-1] == 'annotations'):
                self.target = new
                self.top = self.metastack[0][0]
                self._pending = dict(zip(self.stack[0::2], self.stack[1::2]))
            elif (not self.metastack and len(self.stack) == 2
                  and isinstance(self.stack[0], dict)
                  and self.stack[1] == 'annotations'):
                # a one-key dict is written without a mark (SETITEM)
                self.target = new
                self.top = self.stack[0]
        self.append(new)

    dispatch[pickle.EMPTY_LIST[0]] = load_empty_list

    def _flush(self) -> List[Any]:
        """Take the clips appended so far out of the clip list."""
        items = list(self.target)
        self.target.clear()
        for index in range(self._memo_mark, self._memo_next):
            if index in self.memo and _prunable(self.memo[index], self.strict):
                del self.memo[index]
        self._memo_mark = self._memo_next
        return items

    def stream(self) -> Iterator[Any]:
        """Run the pickle, yielding the clips as they complete.

        Yields:
            The items of the clip list, in order. When the file has no
            recognisable clip list, nothing is yielded and
            :attr:`result` holds the whole object.
        """
        self._unframer = pickle._Unframer(self._file_read, self._file_readline)
        self.read = self._unframer.read
        self.readinto = self._unframer.readinto
        self.readline = self._unframer.readline
        self.metastack = []
        self.stack = []
        self.append = self.stack.append
        self.proto = 0
        self._pending: Dict = {}
        read, dispatch = self.read, self.dispatch
        appends = (pickle.APPENDS[0], pickle.APPEND[0])
        try:
            while True:
                key = read(1)
                if not key:
                    raise EOFError
                dispatch[key[0]](self)
                if (key[0] in appends and self.target is not None
                        and self.stack and self.stack[-1] is self.target):
                    yield from self._flush()
        except pickle._Stop as stop:
            self.result = stop.value


class AnnotationStream:
    """The clips of an annotation pickle, read lazily.

    Iterating yields the raw annotation dicts (validate each with
    :func:`~mmaction_masa.datasets.islr_dataset.sanitize_annotation`);
    after the iteration :attr:`split` and :attr:`extra` hold the file's
    ``split`` dict (or None) and its other top-level entries.

    Args:
        path (str): Path (or mmengine file-backend URI) of the pickle.
        stream (bool): False reads the file in full (``pickle.load``
            speed, memory of the whole file). Defaults to True.
    """

    def __init__(self, path: str, stream: bool = True) -> None:
        self.path = str(path)
        self.stream = stream
        self.split: Optional[Dict[str, list]] = None
        self.extra: Dict[str, Any] = {}
        self.streamed = False

    def __iter__(self) -> Iterator[dict]:
        """Yield the annotations in file order.

        Raises:
            FileNotFoundError: the file does not exist.
            AnnotationError: the file is unreadable, names a refused global
                or has no clips (as
                :func:`~mmaction_masa.datasets.islr_dataset.load_annotation_file`).
        """
        if not mmengine.exists(self.path):
            raise FileNotFoundError(f'annotation file not found: '
                                    f'{self.path}')
        done = 0
        if self.stream:
            for strict in (False, True):
                try:
                    for index, raw in enumerate(self._streamed(strict)):
                        if index >= done:
                            done += 1
                            yield raw
                    if self.streamed:
                        if not done:
                            raise AnnotationError(
                                f'{self.path}: annotations: the file has '
                                'no clips')
                        return
                    break
                except _PrunedReference:
                    continue  # a clip shares an object with an earlier one
        annotations, split = load_annotation_file(self.path)
        self.split = split
        yield from annotations[done:]

    def _streamed(self, strict: bool) -> Iterator[dict]:
        """One streaming pass; sets :attr:`streamed` when it found the
        clip list (otherwise it yields nothing and the caller reads the
        file in full, with the full validation messages).

        Args:
            strict (bool): See :class:`_StreamingUnpickler`.
        """
        with _open(self.path) as file:
            unpickler = _StreamingUnpickler(file, self.path, strict)
            try:
                for index, raw in enumerate(unpickler.stream()):
                    if not isinstance(raw, dict):
                        raise AnnotationError(
                            f'{self.path}: annotation {index}: expected a '
                            f'dict, got {type(raw).__name__}')
                    yield raw
            except UnsafePickleError as exc:
                raise AnnotationError(str(exc)) from None
            except (AnnotationError, _PrunedReference):
                raise
            except Exception as exc:  # any unpickling failure: corrupt
                raise AnnotationError(
                    f'{self.path}: not a readable pickle file '
                    f'({type(exc).__name__}: {exc})') from exc
        if unpickler.target is None:
            return
        top = unpickler.top if isinstance(unpickler.top, dict) else {}
        split = top.get('split', unpickler._pending.get('split'))
        if split is not None and not (isinstance(split, dict) and all(
                isinstance(v, (list, tuple)) for v in split.values())):
            raise AnnotationError(
                f'{self.path}: split: expected a dict of split name -> '
                'list of frame_dir')
        self.split = split
        self.extra = {
            k: v
            for k, v in top.items() if k not in ('annotations', 'split')
        }
        self.streamed = True


def _open(path: str):
    """A binary file object of a local path or an mmengine URI."""
    try:
        return open(path, 'rb')
    except OSError:
        return io.BytesIO(mmengine.get(path))


def iter_annotations(path: str) -> Iterator[Tuple[int, dict]]:
    """``(index, raw annotation)`` of every clip of a pickle, streamed.

    Args:
        path (str): The annotation pickle.

    Yields:
        tuple: The clip's index in the file and its raw dict.

    Raises:
        FileNotFoundError: the file does not exist.
        AnnotationError: see :class:`AnnotationStream`.
    """
    yield from enumerate(AnnotationStream(path))
