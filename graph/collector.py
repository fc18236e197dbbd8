"""The one switch of Python's cyclic garbage collector.

A build makes millions of long-lived objects (records, findings, the graph's terms) and no
reference cycles worth collecting; every full collection walks all of them, and at a hundred times
the seeds the collector cost more time than the work. So the collector waits while a build runs;
when it resumes, what the build made is frozen (``gc.freeze``: left out of every later collection,
still freed as usual when nothing refers to it), so the first collection after a build does not
walk it all either. Forked worker processes inherit the switch as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration (nested uses are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
