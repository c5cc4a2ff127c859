"""Loading checkpoints and pickles without running the code they name.

A pickle can name any importable callable (``os.system``, ...) and
unpickling calls it. Every file this package reads goes through an
allow-list instead:

* **Checkpoints** (``--resume``, ``load_from`` / ``tools/test.py``,
  ``init_cfg=Pretrained``, ``tools/export_backbone.py``) load with
  ``torch.load(weights_only=True)`` plus exactly the globals an MMEngine
  runner stores (:data:`CHECKPOINT_SAFE_GLOBALS`: the message hub's
  ``HistoryBuffer`` with its statistics methods, numpy arrays, dtypes and
  scalars). ``.safetensors`` files (no pickle at all) load too.
* **Annotation and pose pickles** load with :class:`RestrictedUnpickler`,
  which resolves only numpy arrays / dtypes / scalars and the builtin
  containers and scalars (:data:`ANNOTATION_SAFE_GLOBALS`); **score dumps**
  (``tools/test.py --dump``) also CPU tensors (:data:`DUMP_SAFE_GLOBALS`).

Any other global is refused with :class:`UnsafePickleError`, naming the
file and the global; nothing of the file runs. For your own old files that
need more (e.g. a checkpoint whose message hub holds custom objects),
setting the environment variable ``MMACTION_MASA_TRUST_PICKLES=1`` restores
plain unpickling (which can run code: only for files you trust).
"""
import io
import json
import os
import pickle
import re
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer, print_log

__all__ = [
    'TRUST_ENV', 'UnsafePickleError', 'CheckpointReadError', 'trust_pickles',
    'ANNOTATION_SAFE_GLOBALS', 'DUMP_SAFE_GLOBALS', 'RestrictedUnpickler',
    'restricted_loads', 'checkpoint_safe_globals', 'load_checkpoint_file',
    'SAFETENSORS_SUFFIX', 'META_KEY', 'save_safetensors', 'load_safetensors'
]

#: Environment variable; ``1`` re-enables plain (code-running) unpickling.
TRUST_ENV = 'MMACTION_MASA_TRUST_PICKLES'
#: Suffix of safetensors files (read without any pickle).
SAFETENSORS_SUFFIX = '.safetensors'
#: safetensors metadata key holding the JSON ``meta`` of an export.
META_KEY = 'mmaction_masa_meta'

_HINT = (f'only numpy arrays, numbers, strings and builtin containers are '
         f'loaded without trust; if you produced the file yourself, set '
         f'{TRUST_ENV}=1 to load it with plain pickle (which runs the code '
         'it names)')


class UnsafePickleError(pickle.UnpicklingError):
    """A file names a global outside the allow-list; it was not loaded."""


class CheckpointReadError(RuntimeError):
    """A checkpoint file is truncated or corrupt (not a torch file)."""


def trust_pickles() -> bool:
    """Whether the user opted in to plain unpickling (``TRUST_ENV=1``)."""
    return os.environ.get(TRUST_ENV, '').strip() == '1'


def _numpy_globals() -> Dict[str, Any]:
    """numpy's array, dtype and scalar reconstructors under the names that
    numpy 1.x and 2.x write into pickles."""
    multiarray = np.core.multiarray
    numeric = np.core.numeric
    names: Dict[str, Any] = {
        'numpy.ndarray': np.ndarray,
        'numpy.dtype': np.dtype
    }
    for core in ('numpy.core', 'numpy._core'):
        names[f'{core}.multiarray._reconstruct'] = multiarray._reconstruct
        names[f'{core}.multiarray.scalar'] = multiarray.scalar
        names[f'{core}.numeric._frombuffer'] = numeric._frombuffer
    return names


#: Globals an annotation pickle may name: numpy + builtin values.
ANNOTATION_SAFE_GLOBALS: Dict[str, Any] = dict(
    _numpy_globals(), **{
        'builtins.set': set,
        'builtins.frozenset': frozenset,
        'builtins.complex': complex,
        'builtins.bytearray': bytearray,
        'builtins.slice': slice,
        'builtins.range': range,
        'collections.OrderedDict': __import__('collections').OrderedDict,
        '_codecs.encode': __import__('codecs').encode,
    })


def _storage_from_bytes(data: bytes) -> Any:
    """``torch.storage._load_from_bytes`` with ``weights_only=True`` (the
    original unpickles the bytes with ``weights_only=False``)."""
    return torch.load(io.BytesIO(data), weights_only=True)


#: Globals a score dump (``tools/test.py --dump``) may name: the annotation
#: ones plus CPU tensors (rebuilt from storages loaded ``weights_only``).
DUMP_SAFE_GLOBALS: Dict[str, Any] = dict(
    ANNOTATION_SAFE_GLOBALS, **{
        'torch._utils._rebuild_tensor_v2': torch._utils._rebuild_tensor_v2,
        'torch.storage._load_from_bytes': _storage_from_bytes,
    })


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only the globals of ``allowed``.

    Args:
        file: A binary file object.
        source (str): Name of the file (for error messages).
        allowed (dict): ``'module.name'`` -> object. Defaults to
            :data:`ANNOTATION_SAFE_GLOBALS`.
    """

    def __init__(self,
                 file,
                 source: str,
                 allowed: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(file)
        self.source = source
        self.allowed = ANNOTATION_SAFE_GLOBALS if allowed is None else allowed

    def find_class(self, module: str, name: str) -> Any:
        """Return an allowed global; refuse any other.

        Raises:
            UnsafePickleError: ``module.name`` is not allowed.
        """
        module = {'__builtin__': 'builtins'}.get(module, module)
        full_name = f'{module}.{name}'
        if full_name in self.allowed:
            return self.allowed[full_name]
        raise UnsafePickleError(
            f'{self.source}: refused to unpickle the global {full_name!r} '
            f'(nothing of the file was run); {_HINT}')


def restricted_loads(data: bytes,
                     source: str,
                     allowed: Optional[Dict[str, Any]] = None) -> Any:
    """Unpickle ``data`` with :class:`RestrictedUnpickler` (or plain pickle
    when :func:`trust_pickles`).

    Args:
        data (bytes): The pickle.
        source (str): Name of the file (for error messages).
        allowed (dict, optional): The allowed globals; None:
            :data:`ANNOTATION_SAFE_GLOBALS`. Defaults to None.

    Returns:
        The unpickled object.

    Raises:
        UnsafePickleError: the pickle names a global outside the
            allow-list.
    """
    if trust_pickles():
        return pickle.loads(data)
    return RestrictedUnpickler(io.BytesIO(data), source, allowed).load()


#: The statistics methods every ``HistoryBuffer`` registers.
_HISTORY_BUFFER_METHODS = frozenset(('min', 'max', 'current', 'mean'))


def _history_buffer_method(owner: Any, name: str) -> Callable:
    """``getattr`` limited to what MMEngine pickles: the statistics methods
    of ``HistoryBuffer`` (``HistoryBuffer._statistics_methods``)."""
    allowed = _HISTORY_BUFFER_METHODS | set(HistoryBuffer._statistics_methods)
    if owner is HistoryBuffer and name in allowed:
        return getattr(owner, name)
    raise UnsafePickleError(f'getattr({owner!r}, {name!r})')


def checkpoint_safe_globals() -> List[Union[Any, Tuple[Any, str]]]:
    """The globals a full MMEngine checkpoint names beyond torch's own.

    Found in checkpoints written by our runners
    (``torch.serialization.get_unsafe_globals_in_checkpoint``): the message
    hub's ``HistoryBuffer`` (whose state names its statistics methods via
    ``getattr``, here limited to those), and numpy arrays, dtypes and
    scalars (``eta``, ``best_score``, the buffers' histories).

    Returns:
        list: Entries for :func:`torch.serialization.safe_globals`.
    """
    entries: List[Union[Any, Tuple[Any, str]]] = [
        HistoryBuffer, (_history_buffer_method, 'builtins.getattr')
    ]
    entries.extend((obj, name) for name, obj in _numpy_globals().items())
    entries.extend(_numpy_dtype_classes())
    return entries


def _numpy_dtype_classes() -> List[type]:
    """The classes of numpy's dtype instances (numpy >= 1.25 gives each
    dtype its own class, e.g. ``numpy.dtypes.Float64DType``); restoring a
    pickled dtype's state needs them."""
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is None:
        return []
    return [
        getattr(dtypes, name) for name in getattr(dtypes, '__all__', [])
        if isinstance(getattr(dtypes, name), type)
    ]


def _refused_global(exc: Exception) -> str:
    """The global named in a ``weights_only`` error (else its first line)."""
    text = str(exc)
    for pattern in (r'GLOBAL (\S+)', r"got <class '([^']+)'>"):
        found = re.search(pattern, text)
        if found:
            return found.group(1)
    detail = text.split('WeightsUnpickler error:', 1)[-1].strip()
    return detail.splitlines()[0] if detail else text


#: torch keeps ``safe_globals`` in one process-wide set, and a context
#: leaving removes its entries even while another thread still unpickles:
#: one weights-only load at a time (threads of one process).
_SAFE_GLOBALS_LOCK = threading.Lock()


def load_checkpoint_file(filename: str, map_location=None) -> Any:
    """Load a local checkpoint without running pickled code.

    ``.safetensors`` files load with :func:`load_safetensors`; anything
    else with ``torch.load(weights_only=True)`` and
    :func:`checkpoint_safe_globals`, one thread at a time (plain
    ``torch.load`` when :func:`trust_pickles`).

    Args:
        filename (str): The checkpoint.
        map_location: As in :func:`torch.load`.

    Returns:
        The checkpoint (dict).

    Raises:
        FileNotFoundError: the file does not exist.
        UnsafePickleError: the file names a global outside the allow-list.
        CheckpointReadError: the file is truncated or not a torch file.
    """
    filename = os.path.expanduser(str(filename))
    if not os.path.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    if filename.endswith(SAFETENSORS_SUFFIX):
        return load_safetensors(filename, map_location)
    if trust_pickles():
        print_log(
            f'{TRUST_ENV}=1: loading {filename} with plain pickle',
            logger='current')
        return torch.load(
            filename, map_location=map_location, weights_only=False)
    try:
        with _SAFE_GLOBALS_LOCK, torch.serialization.safe_globals(
                checkpoint_safe_globals()):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        raise UnsafePickleError(
            f'{filename}: refused to load the checkpoint: it names '
            f'{_refused_global(exc)}, which is not among the globals an '
            'MMEngine checkpoint stores (nothing of the file was run); '
            f'{_HINT}') from None
    except Exception as exc:  # torch's zip / legacy readers on bad bytes
        detail = (str(exc).splitlines() or [''])[0]
        raise CheckpointReadError(
            f'{filename}: not a readable checkpoint, truncated or corrupt '
            f'({type(exc).__name__}: {detail})') from exc


def save_safetensors(state_dict: Dict[str, torch.Tensor], meta: Dict,
                     path: str) -> None:
    """Write tensors and a JSON-serialisable ``meta`` as safetensors.

    Args:
        state_dict (dict[str, Tensor]): The tensors.
        meta (dict): Stored as JSON under :data:`META_KEY`.
        path (str): The ``.safetensors`` file.
    """
    from safetensors.torch import save_file
    tensors = {k: v.contiguous() for k, v in state_dict.items()}
    save_file(tensors, str(path), metadata={META_KEY: json.dumps(meta)})


def load_safetensors(path: str, map_location=None) -> Dict:
    """Read a safetensors file as ``dict(state_dict=..., meta=...)``.

    Args:
        path (str): The ``.safetensors`` file.
        map_location: A device (str / ``torch.device``) or None (CPU).

    Returns:
        dict: ``state_dict`` (tensors) and ``meta`` (from :data:`META_KEY`,
        empty when absent).
    """
    from safetensors import safe_open
    from safetensors.torch import load_file
    device = map_location if isinstance(map_location,
                                        (str, torch.device)) else 'cpu'
    state_dict = load_file(str(path), device=str(device))
    with safe_open(str(path), framework='pt') as handle:
        metadata: Optional[Dict[str, str]] = handle.metadata()
    meta = json.loads((metadata or {}).get(META_KEY, '{}'))
    return dict(state_dict=state_dict, meta=meta)
