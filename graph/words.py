"""Counts in the words of the messages people read: "1 action", "2 actions"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with ``singular`` when it is 1, else with ``plural`` (by default ``singular`` + "s")."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
