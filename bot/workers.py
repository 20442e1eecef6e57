"""Several webhook workers on one port: ``WEB_CONCURRENCY=N`` with ``WEBHOOK_URL`` set.

The parent binds HOST:PORT once, then forks N workers that accept on that socket (the
kernel shares the connections among them) and each run the whole bot on the shared
PostgreSQL store. The parent only supervises: a worker that dies is started again (the
updates it had not answered are redelivered by Telegram, and the store makes them handled
once); SIGTERM or SIGINT stops every worker, each finishing the turn it is in.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

_LOGGER = logging.getLogger(__name__)
RESPAWN_PAUSE_SECONDS = 1.0
"""A worker that keeps dying is restarted at most this often."""


@dataclass(frozen=True)
class Worker:
    """One of the workers: its number, and the socket it accepts on."""

    index: int
    server: socket.socket

    @property
    def announces(self) -> bool:
        """Tell whether this worker registers the webhook with Telegram (the first does)."""
        return self.index == 0


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind HOST:PORT once, before the workers fork, so that they all accept on it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.create_server((host, port), family=family, backlog=2048)
    server.set_inheritable(True)
    return server


def supervise(workers: int, run_worker: Callable[[int], None]) -> None:
    """Fork ``workers`` processes running ``run_worker(index)``; restart those that die."""
    children: dict[int, int] = {}  # pid -> worker index
    stopping = False

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: default signal handlers, then the bot until told to stop
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, signal.SIG_DFL)
            code = 0
            try:
                run_worker(index)
            except BaseException:
                _LOGGER.exception("worker %d failed", index)
                code = 1
            os._exit(code)
        children[pid] = index

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            os.kill(pid, signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for index in range(workers):
        start(index)
    _LOGGER.info("%d workers started", workers)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        index = children.pop(pid, -1)
        if index < 0 or stopping:
            continue
        _LOGGER.warning("worker %d stopped (status %d): starting it again", index, status)
        time.sleep(RESPAWN_PAUSE_SECONDS)
        start(index)
