"""Conversions in worker processes, each bounded in memory, CPU time and wall time.

A hostile file must cost its worker, never the bot: a PDF whose pages take PDFium minutes to
draw, an image whose decoding needs gigabytes. Each job runs in a worker process with

- an address-space limit (``RLIMIT_AS``): what the warm worker maps plus ``memory_bytes``;
  an allocation past it fails, and the job ends with ``DocumentRejected("too_heavy")``;
- a CPU-time limit (``RLIMIT_CPU``, armed per job, in whole seconds): the kernel kills the
  worker (SIGXCPU), even inside C code, and the job ends with ``DocumentRejected("too_slow")``;
- a wall-time limit: the caller kills a worker that has not answered in ``wall_seconds``.

At most ``workers`` jobs run at once; up to ``waiting`` more wait their turn without holding a
thread, and one beyond is refused at once (``DocumentRejected("busy")``: send it again in a
minute), so a flood of files queues no unbounded work. A
worker that died, hit a limit or kept much of a large job's memory is replaced by a fresh one
on its next job. Workers run at a lower priority (``nice``), so the bot's replies come first.

Workers are forked from a server process (multiprocessing's 'forkserver') that imported the
conversion pipeline (NumPy, Pillow, OpenCV, pypdf) and the ``warm`` modules once: a new worker
starts in tens of milliseconds instead of a second and a half, and its memory limit is spent
on the job, not on imports. Never by 'fork' from the bot itself: it has threads
(the event loop's executors), and a forked copy of a process with threads can deadlock.

Usage:
    conversions = Isolation(Limits(workers=2), warm=("bot.receipts",))
    document = await conversions.call(convert, data)   # from the event loop
    document = conversions.run(convert, data)          # from a thread
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import multiprocessing
import os
import queue
import resource
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from bot.documents.errors import DocumentRejected

_LOGGER = logging.getLogger(__name__)
_P = ParamSpec("_P")
_T = TypeVar("_T")
_NICENESS = 10  # conversions yield the CPU to the event loop that answers every chat
_PIPELINE = "bot.documents.pipeline"  # NumPy, Pillow, OpenCV, pypdf: imported by the server
_OUT_OF_MEMORY = "Insufficient memory"  # how OpenCV says an allocation failed (cv2.error)


@dataclass(frozen=True)
class Limits:
    """How many conversions run at once, and what one job may cost."""

    workers: int = 2
    memory_bytes: int = 768 * 2**20
    """Address space a job may map beyond what its warm worker maps (about 560 MB)."""
    cpu_seconds: int = 30
    wall_seconds: float = 120.0
    waiting: int = 8
    """Jobs that may wait for a worker; one more is refused (``busy``)."""


class Isolation:
    """A bounded set of worker processes running conversion jobs under ``limits``."""

    def __init__(self, limits: Limits | None = None, *, warm: Sequence[str] = ()) -> None:
        self.limits = limits or Limits()
        self._context = multiprocessing.get_context("forkserver")
        # Read when the server starts (the first job of the process). The main module too
        # (multiprocessing's default), once in the server: else each worker would import it
        # again (``python -m bot`` is spared, a script is not).
        self._context.set_forkserver_preload(["__main__", _PIPELINE, *warm])
        self._workers = [_Worker(self._context, self.limits) for _ in range(self.limits.workers)]
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for worker in self._workers:
            self._idle.put(worker)
        # One waiting thread per worker: the jobs beyond wait in the executor's queue.
        self._waiting = ThreadPoolExecutor(self.limits.workers, thread_name_prefix="isolation")
        self._admitted = 0  # jobs running or waiting
        self._admitting = threading.Lock()
        self.peak_rss_bytes = 0
        """The largest resident size a worker reported after a job (its own high-water mark)."""

    def start(self) -> None:
        """Start every worker now (the first also starts the server): warm before the first job."""
        for worker in self._workers:
            worker.ensure()

    def run(self, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Return ``work(*args, **kwargs)`` computed in a worker; blocks until a worker is free.

        ``work`` and its arguments are pickled (a module-level function, plain data).

        Raises:
            DocumentRejected: ``busy`` when ``workers + waiting`` jobs are already in, ``too_slow``
                or ``too_heavy`` when the job hit a limit, or what ``work`` raised (any
                exception ``work`` raises is raised here).
        """
        self._enter()
        try:
            return self._run(work, *args, **kwargs)
        finally:
            self._leave()

    async def call(self, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Return ``work(*args, **kwargs)`` computed in a worker, without blocking the loop.

        Raises what ``run`` raises (``busy`` at once, before waiting).
        """
        self._enter()
        try:
            future = self._waiting.submit(functools.partial(self._run, work, *args, **kwargs))
        except BaseException:
            self._leave()
            raise
        # Counted out when the job ends, even if its caller stopped waiting (cancelled).
        future.add_done_callback(lambda _: self._leave())
        return await asyncio.wrap_future(future)

    def _enter(self) -> None:
        """Count a job in, or refuse it if the workers and the queue are full."""
        with self._admitting:
            if self._admitted >= self.limits.workers + self.limits.waiting:
                _LOGGER.warning("conversion refused: %d jobs running or waiting", self._admitted)
                raise DocumentRejected("busy")
            self._admitted += 1

    def _leave(self) -> None:
        with self._admitting:
            self._admitted -= 1

    def _run(self, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        worker = self._idle.get()
        try:
            status, value, peak = worker.call((work, args, kwargs))
        finally:
            self._idle.put(worker)
        self.peak_rss_bytes = max(self.peak_rss_bytes, peak)
        if status == "error":
            raise value
        result: _T = value
        return result

    def close(self) -> None:
        """Stop every worker (a job in progress ends ``too_heavy``) and the waiting threads."""
        for worker in self._workers:
            worker.stop()
        self._waiting.shutdown(wait=False, cancel_futures=True)


class _Worker:
    """One worker process and the pipe to it: started on demand, replaced when it is gone."""

    def __init__(self, context: Any, limits: Limits) -> None:
        self._context = context
        self._limits = limits
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None
        self._lock = threading.RLock()  # ``start`` may warm a worker a job is about to use

    def ensure(self) -> tuple[BaseProcess, Connection]:
        """Return the running process and its pipe, starting a fresh one if needed."""
        with self._lock:
            if self._process is None or self._pipe is None or not self._process.is_alive():
                self.stop()
                ours, theirs = self._context.Pipe()
                process = self._context.Process(
                    target=_serve, args=(theirs, self._limits.memory_bytes), daemon=True,
                    name="conversion")
                process.start()
                theirs.close()
                self._process, self._pipe = process, ours
            return self._process, self._pipe

    def call(self, job: tuple[object, ...]) -> tuple[str, Any, int]:
        """Run ``job`` in the process; return (status, value, peak resident bytes)."""
        process, pipe = self.ensure()
        try:
            pipe.send((*job, self._limits.cpu_seconds))
            if not pipe.poll(self._limits.wall_seconds):
                self.stop()
                _LOGGER.warning("conversion stopped after %.0f s", self._limits.wall_seconds)
                raise DocumentRejected("too_slow")
            status, value, peak, retire = pipe.recv()
        except (EOFError, OSError) as gone:
            with self._lock:  # ``close`` may have stopped it meanwhile
                code = None
                if self._process is process:
                    process.join(5)
                    code = process.exitcode
                self.stop()
            _LOGGER.warning("conversion worker ended (exit code %s)", code)
            # SIGXCPU: its CPU time was spent. Any other end: most likely an allocation that
            # failed under the memory limit in C code (decoders abort rather than report it).
            raise DocumentRejected(
                "too_slow" if code == -signal.SIGXCPU else "too_heavy") from gone
        if retire:
            self.stop()
        if status == "limit":
            _LOGGER.warning("conversion stopped: out of memory")
            return "error", DocumentRejected("too_heavy"), peak
        return status, value, peak

    def stop(self) -> None:
        """Kill the process (if any) and close the pipe."""
        with self._lock:
            if self._process is not None:
                self._process.kill()
                self._process.join()
                self._process.close()
                self._process = None
            if self._pipe is not None:
                self._pipe.close()
                self._pipe = None


def _mapped_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit(kind: int, soft: int) -> None:
    """Set the soft limit ``kind`` to ``soft``, or to the hard limit if that is lower."""
    _, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _arm_cpu(seconds: int) -> None:
    """Let the worker spend ``seconds`` more CPU time, then the kernel kills it (SIGXCPU)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _limit(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + seconds)


def _out_of_memory(error: BaseException | None) -> bool:
    """Tell whether ``error`` or what caused it is a failed allocation (often wrapped)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, MemoryError) or _OUT_OF_MEMORY in str(error):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _outcome(job: tuple[Any, ...]) -> tuple[str, Any]:
    work, args, kwargs, cpu_seconds = job
    _arm_cpu(cpu_seconds)
    try:
        return "ok", work(*args, **kwargs)
    except Exception as error:
        if _out_of_memory(error):
            return "limit", None
        if not isinstance(error, DocumentRejected):  # a bug: keep where it happened
            error.add_note("".join(traceback.format_exception(error)))
        return "error", error


def _serve(pipe: Connection, memory_bytes: int) -> None:
    """Run the jobs sent on ``pipe`` until the bot closes it (the worker process's body)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is for the bot
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # the kernel's kill, even in C code
    os.nice(_NICENESS)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed worker leaves no core file
    warm = _mapped_bytes()
    _limit(resource.RLIMIT_AS, warm + memory_bytes)
    while True:
        try:
            job = pipe.recv()
        except EOFError:  # the bot is gone
            os._exit(0)
        status, value = _outcome(job)
        # After a failed allocation, or with much of a large job's memory still mapped, a
        # fresh worker takes the next job: it has the whole budget again.
        retire = status == "limit" or _mapped_bytes() > warm + memory_bytes // 2
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        try:
            pipe.send((status, value, peak, retire))
        except Exception as unsent:  # a result that does not pickle: say so, not hang
            pipe.send(("error", RuntimeError(f"{type(unsent).__name__}: {unsent}"), peak, retire))
        if retire:
            os._exit(0)  # not sys.exit: the job's threads must not be waited for
