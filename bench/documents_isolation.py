"""What the worker process costs a photo: the same conversions in a thread and in a worker.

Usage:
    python -m bench.documents_isolation [--count 15]

One generated 12 MP receipt photo (``bench.receipts``) is converted ``--count`` times each way,
alternating (so a change in the machine's load falls on both): ``asyncio.to_thread(convert)``
as before, and ``Isolation.call(convert)`` (the bytes pickled to a warm worker, the PDF back).
Prints the median and p90 of each, and the overhead of the process hop; then the start-up of
the workers' server (cold) and of one more worker (forked from it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from bench.receipts import generate
from bot.documents import convert
from bot.documents.isolation import Isolation, Limits


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _p90(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.9)]


async def _timed(work: object) -> float:
    start = time.perf_counter()
    await work  # type: ignore[misc]
    return time.perf_counter() - start


async def _run(count: int) -> None:
    photo = generate(1)[0].jpeg
    pool = Isolation(Limits(workers=1))
    start = time.perf_counter()
    pool.run(os.getpid)  # the server (a fresh interpreter importing the pipeline), a worker
    cold = time.perf_counter() - start
    await pool.call(convert, photo)  # the worker's first job (lazy imports, caches)
    await asyncio.to_thread(convert, photo)
    in_thread: list[float] = []
    in_worker: list[float] = []
    for _ in range(count):
        in_thread.append(await _timed(asyncio.to_thread(convert, photo)))
        in_worker.append(await _timed(pool.call(convert, photo)))
    second = Isolation(Limits(workers=1))
    start = time.perf_counter()
    second.run(os.getpid)  # the server is running: only a fork
    forked = time.perf_counter() - start
    second.close()
    pool.close()
    print(f"12 MP photo ({len(photo) / 1e6:.1f} MB JPEG), {count} runs each way")
    for name, times in (("in a thread", in_thread), ("in a worker", in_worker)):
        print(f"  {name:<14}median {_ms(statistics.median(times))}  p90 {_ms(_p90(times))}")
    overhead = statistics.median(in_worker) - statistics.median(in_thread)
    pairs = statistics.median(w - t for w, t in zip(in_worker, in_thread, strict=True))
    print(f"  process hop     {_ms(overhead)} (difference of medians), {_ms(pairs)} (median of"
          " paired differences)")
    print(f"first answer: {_ms(cold)} with the server to start, {_ms(forked)} from a new"
          " worker once it runs")


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(prog="python -m bench.documents_isolation")
    parser.add_argument("--count", type=int, default=15)
    asyncio.run(_run(parser.parse_args().count))


if __name__ == "__main__":
    main()
