"""Errors that the command line reports as one line, without a traceback."""

from __future__ import annotations


class SocieuxError(Exception):
    """An error a user can act on; the CLI prints ``str(error)`` and exits non-zero."""

    exit_code = 1


class InputError(SocieuxError):
    """A seed document that cannot be read: names the file and, where there is one, the line."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class OutputError(SocieuxError):
    """An output that cannot be written; earlier outputs are left as they were."""


INTERNAL_ERROR = 3  # the exit code of a bug (an error that is not the input's): the traceback is printed


class InternalError(Exception):
    """A bug met in a worker process: its message and the traceback there, for the command line to
    print whole (it crosses the process boundary as text)."""

    def __init__(self, message: str, trace: str) -> None:
        super().__init__(message, trace)
        self.message, self.trace = message, trace

    def __str__(self) -> str:
        return self.message
