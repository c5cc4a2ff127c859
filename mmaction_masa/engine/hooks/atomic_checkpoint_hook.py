"""A ``CheckpointHook`` whose checkpoints are never half-written or lost.

MMEngine's ``CheckpointHook`` deletes the oldest checkpoint *before* it
writes the new one, writes the new one in place and then rewrites
``last_checkpoint``; a kill in between (with ``max_keep_ckpts=1``) leaves a
truncated new file, no old one, and a ``last_checkpoint`` naming a deleted
file. :class:`AtomicCheckpointHook` writes every checkpoint to a hidden
temporary file in the same folder, flushes and fsyncs it, renames it into
place (atomic on POSIX), fsyncs the folder, then rewrites
``last_checkpoint`` the same way, and only then removes the checkpoints that
fell out of ``max_keep_ckpts`` (and the previous best one).

It is registered as ``AtomicCheckpointHook`` and, in ``mmaction.registry``,
also as ``CheckpointHook``, so configs in the ``mmaction`` scope that name
MMEngine's hook (MMAction2's base configs, user configs) get it too;
``type='mmengine.CheckpointHook'`` still selects the original.
"""
import contextlib
import os
import os.path as osp
from typing import Callable, Iterator, List, Sequence

from mmengine.dist import is_main_process
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook

from mmaction.registry import HOOKS

__all__ = [
    'AtomicCheckpointHook', 'PARTIAL_SUFFIX', 'fsync_path', 'atomic_output',
    'atomic_write_text'
]

#: Suffix of the temporary file a checkpoint is written to first.
PARTIAL_SUFFIX = '.partial'


def fsync_path(path: str) -> None:
    """Flush a file (or a directory entry table) to disk.

    Args:
        path (str): A file or directory.
    """
    flags = os.O_RDONLY
    if osp.isdir(path):
        flags |= getattr(os, 'O_DIRECTORY', 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _partial_name(filename: str) -> str:
    """The hidden temporary name of ``filename`` in the same folder."""
    return f'.{filename}{PARTIAL_SUFFIX}'


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[str]:
    """Yield a temporary path beside ``path`` to write to; when the block
    succeeds, the complete file is fsynced and renamed to ``path``; when it
    fails, the temporary file is removed and ``path`` is untouched.

    Args:
        path (str): The final file.

    Yields:
        str: The temporary file to write.
    """
    folder, name = osp.split(str(path))
    partial = osp.join(folder, _partial_name(name))
    try:
        yield partial
        fsync_path(partial)
        os.replace(partial, path)
        fsync_path(folder or '.')
    finally:
        if osp.exists(partial):
            os.remove(partial)


def atomic_write_text(path: str, text: str) -> None:
    """Replace ``path`` by a file holding ``text``, atomically.

    Args:
        path (str): The file.
        text (str): Its new content.
    """
    folder, name = osp.split(path)
    partial = osp.join(folder, _partial_name(name))
    with open(partial, 'w') as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)
    fsync_path(folder or '.')


class _DeferredRemoval:
    """A file backend whose ``remove`` / ``rmtree`` only record the path."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.paths: List[str] = []

    def remove(self, path: str) -> None:
        """Defer the removal of a file."""
        self.paths.append(path)

    def rmtree(self, path: str) -> None:
        """Defer the removal of a folder."""
        self.paths.append(path)

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


@HOOKS.register_module(name=['AtomicCheckpointHook', 'CheckpointHook'])
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` with atomic writes and late removal.

    Takes MMEngine's ``CheckpointHook`` arguments. Only local folders get
    the atomic path; other file backends behave as MMEngine's hook.
    """

    def _is_local(self) -> bool:
        """Whether checkpoints go to a local folder."""
        return isinstance(self.file_backend, LocalBackend)

    def _save_atomically(self, save: Callable, out_dir: str, filename: str,
                         *args, **kwargs) -> None:
        """Run ``save(out_dir, <temporary name>, ...)``, then move the
        complete file to ``out_dir/filename``.

        Args:
            save (Callable): ``Runner.save_checkpoint`` (bound).
            out_dir (str): The checkpoint folder.
            filename (str): The final file name.
            *args: Passed to ``save``.
            **kwargs: Passed to ``save``.
        """
        partial = osp.join(out_dir, _partial_name(filename))
        try:
            save(out_dir, _partial_name(filename), *args, **kwargs)
            if is_main_process():
                fsync_path(partial)
                os.replace(partial, osp.join(out_dir, filename))
                fsync_path(out_dir)
        finally:
            if is_main_process() and osp.exists(partial):
                os.remove(partial)

    def _expire(self, runner, step: int) -> List[str]:
        """Record ``step`` as kept; return the checkpoints to remove once
        the new one is complete (MMEngine's bookkeeping, without removing).
        """
        expired: List[str] = []
        if self.max_keep_ckpts <= 0 or (self.keep_ckpt_ids
                                        and self.keep_ckpt_ids[-1] == step):
            return expired
        if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
            old = self.keep_ckpt_ids.popleft()
            expired.append(
                self.file_backend.join_path(self.out_dir,
                                            self.filename_tmpl.format(old)))
        self.keep_ckpt_ids.append(step)
        runner.message_hub.update_info('keep_ckpt_ids',
                                       list(self.keep_ckpt_ids))
        return expired

    def _remove(self, paths: Sequence[str], keep: Sequence[str] = ()) -> None:
        """Remove checkpoint files or folders (main process only)."""
        if not is_main_process():
            return
        for path in paths:
            if path in keep:
                continue
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):
                self.file_backend.rmtree(path)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        """Save ``step``'s checkpoint, then ``last_checkpoint``, then
        remove the expired ones."""
        if not self._is_local():
            return super()._save_checkpoint_with_step(runner, step, meta)
        expired = self._expire(runner, step)
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        self._save_atomically(
            runner.save_checkpoint,
            self.out_dir,
            filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        atomic_write_text(
            osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt)
        self._remove(expired, keep=[self.last_ckpt])

    @contextlib.contextmanager
    def _atomic_runner(self, runner) -> Iterator[_DeferredRemoval]:
        """Within: ``runner.save_checkpoint`` saves atomically and the
        hook's removals are deferred (the yielded object lists them)."""
        save = runner.save_checkpoint
        backend = self.file_backend
        deferred = _DeferredRemoval(backend)
        runner.save_checkpoint = lambda out_dir, filename, *a, **k: (
            self._save_atomically(save, out_dir, filename, *a, **k))
        self.file_backend = deferred
        try:
            yield deferred
        finally:
            del runner.save_checkpoint
            self.file_backend = backend

    def _save_best_checkpoint(self, runner, metrics) -> None:
        """MMEngine's best-checkpoint logic, with the new best written
        atomically before the previous best is removed."""
        if not self._is_local():
            return super()._save_best_checkpoint(runner, metrics)
        with self._atomic_runner(runner) as deferred:
            super()._save_best_checkpoint(runner, metrics)
        best = [getattr(self, 'best_ckpt_path', None)] + list(
            getattr(self, 'best_ckpt_path_dict', {}).values())
        self._remove(deferred.paths, keep=[p for p in best if p])
