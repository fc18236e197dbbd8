"""Writing outputs: every file through a temporary file and a rename, so a failed or killed
build leaves the previous outputs whole."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from graph.errors import InputError, OutputError


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write ``data`` (text, bytes, or text in pieces) to ``path`` so that readers see the old file
    or the new one, never a part."""
    pieces: Iterable[str | bytes] = [data] if isinstance(data, (str, bytes)) else data

    def write(stream: BinaryIO) -> None:
        for piece in pieces:
            stream.write(piece.encode("utf-8") if isinstance(piece, str) else piece)

    write_atomic_with(path, write)


def check_writable(folder: Path, create: bool = True) -> None:
    """Fail early, before any work, when ``folder`` cannot take the outputs; create it if asked."""
    if not create:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise OutputError(f"{folder}: cannot create the output folder: {existing} is not a folder")
        # Permission bits do not tell (root passes them; /proc, read-only mounts and full disks refuse
        # anyway): make and remove a folder where the outputs will go, leaving nothing behind.
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".socieux-kg-check.", dir=existing))
        except OSError as error:
            what = "create the output folder" if existing != folder else "write into the output folder"
            raise OutputError(f"{folder}: cannot {what}: {error.strerror or error}") from None
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the output folder: {error.strerror or error}") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: the output folder is not writable")


def write_atomic_with(path: Path, writer: Callable[[BinaryIO], None]) -> None:
    """As :func:`write_atomic`, for a writer that takes a binary stream (a serialiser that writes
    its output itself)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"{path.parent}: cannot write there: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            writer(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_input(path: Path, shown: str, missing: str, folder: str) -> bytes:
    """The bytes of an input file, or an InputError naming it as ``shown``: ``missing`` when there is
    none, ``folder`` when it is a directory, the system's reason when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(shown, missing) from None
    except IsADirectoryError:
        raise InputError(shown, folder) from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as error:
        raise InputError(shown, f"cannot read: {error.strerror or error}") from None


_RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15+): swap two paths in one step


def exchange(first: Path, second: Path) -> None:
    """Swap two folders atomically: a reader, or a process killed at any moment, sees one or the
    other at each path, never neither (Linux's ``renameat2``). Where the system or the file system
    cannot (not Linux, or EINVAL), two renames: a kill between them would leave ``second`` missing."""
    import ctypes

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    at_cwd = -100  # AT_FDCWD: the paths are taken as they are
    if renameat2 is not None:
        if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):
            raise OutputError(f"{second}: cannot replace it: {os.strerror(code)}")
    aside = Path(tempfile.mkdtemp(prefix=f".{second.name}.", suffix=".old", dir=second.parent)) / "old"
    os.replace(second, aside)
    os.replace(first, second)
    os.replace(aside, first)
    aside.parent.rmdir()


def replace_folder(building: Path, target: Path) -> None:
    """Put the folder ``building`` at ``target`` in one step (:func:`exchange` when there is one to
    replace, which is then removed); an OutputError naming ``target`` when the system refuses."""
    try:
        if not target.exists():
            os.replace(building, target)
            return
        exchange(building, target)
    except OSError as error:
        raise OutputError(f"{target}: cannot replace it: {error.strerror or error}") from None
    shutil.rmtree(building, ignore_errors=True)  # the old folder, now at ``building``
