"""Run independent conversions at once, bounded by the cores, in worker threads.

Decoding, warping, filtering and encoding happen in Pillow's and OpenCV's C code, which
releases the GIL: threads use every core without copying pixels between processes. Each call
gets its own short-lived threads (they start in microseconds, and inherit the caller's CPU
affinity); a process-wide semaphore bounds how many conversions run at once across callers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")
_PREFIX = "documents"


def cores() -> int:
    """Return the number of cores this thread may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_AT_ONCE = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def map_bounded(work: Callable[[_Item], _Result], items: Iterable[_Item]) -> list[_Result]:
    """Return ``[work(item) for item in items]``, computed concurrently; the first error wins."""
    listed = list(items)
    workers = min(cores(), len(listed))
    # From inside a worker, run in line: its permit already counts this work.
    if workers <= 1 or threading.current_thread().name.startswith(_PREFIX):
        return [work(item) for item in listed]

    def bounded(item: _Item) -> _Result:
        with _AT_ONCE:
            return work(item)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=_PREFIX) as pool:
        return list(pool.map(bounded, listed))
