"""Worker processes of a build: a ``concurrent.futures`` process pool forked from the build, so that
the workers share its memory (the loaded spaCy pipeline, the graph) copy on write instead of having
it pickled to them. A worker ignores Ctrl-C (the build handles it and stops its pool) and ends when
the build's process does, even when that is killed: no worker outlives its build.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class ForkedPool:
    """``workers`` processes forked from this one; ``initializer(*initargs)`` runs in each as it
    starts (``initargs`` reach it through the fork, not pickled). As a context manager it waits for
    the work when the block ends normally, and kills the workers when it ends with an error (their
    work is moot, and a network view may take seconds to finish)."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        self._before = set(multiprocessing.active_children())
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start,
            initargs=(os.getpid(), initializer, initargs),
        )

    def submit(self, function: Callable, *args: object) -> Future:
        return self._executor.submit(function, *args)

    def __enter__(self) -> ForkedPool:
        return self

    def __exit__(self, kind: type | None, *failure: object) -> None:
        if kind is None:
            self._executor.shutdown(wait=True)
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        # this pool's workers are the children that appeared since it started; the executor's own
        # thread may be stopping or replacing one meanwhile, so look again until none is left
        for _ in range(10):
            left = set(multiprocessing.active_children()) - self._before
            if not left:
                break
            for process in left:
                process.kill()
                process.join()


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True, name="socieux-kg-parent-watch").start()
    if initializer is not None:
        initializer(*initargs)


def _end_with(parent: int) -> None:
    """End this process once its parent is gone (a killed parent cannot stop its pool)."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


PARALLEL_BYTES = 1_000_000  # documents of this size hold about 5,000 texts: worth worker processes


def large_input(paths: Iterable[Path]) -> bool:
    """Whether documents are large enough for extraction workers (which then read ahead)."""
    return sum(path.stat().st_size for path in paths if path.is_file()) >= PARALLEL_BYTES
