"""OCR engines, offline on the CPU: Tesseract (Debian packages) and RapidOCR (ONNX models in
its PyPI wheel). Each turns an upright grey page into text lines, in bounded time.

Tesseract runs as a child process, so a page that takes too long is killed at the timeout,
counted in CPU seconds (``OcrFailed("timeout")``); RapidOCR runs in-process, bounded by the
page size it is given.
"""

from __future__ import annotations

import io
import math
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

from PIL import Image

from bot.receipts.config import receipts_config

_WALL_PER_CPU = 10
"""Wall seconds a Tesseract child may take per second of its timeout (a loaded machine)."""


class OcrFailed(Exception):
    """The engine could not read the page: ``missing``, ``timeout`` or ``error``."""


class OcrEngine(Protocol):
    """Something that reads the lines of text of a page."""

    name: str

    def read_lines(self, page: Image.Image, timeout: float) -> list[str]:
        """Return the page's lines of text, top to bottom."""
        ...


class Tesseract:
    """The ``tesseract`` command with the receipts' languages (one thread: one core)."""

    name = "tesseract"

    def __init__(self, languages: Sequence[str] | None = None) -> None:
        self.languages = tuple(languages or receipts_config().reader.languages)

    def read_lines(self, page: Image.Image, timeout: float) -> list[str]:
        """Run Tesseract on ``page`` as one block of text (psm 6).

        psm 3 and 4 look for columns and drop the amounts printed far to the right.
        """
        binary = shutil.which("tesseract")
        if binary is None:
            raise OcrFailed("missing")
        png = io.BytesIO()
        page.save(png, "PNG")
        command = [binary, "stdin", "stdout", "-l", "+".join(self.languages), "--psm", "6"]
        # One thread: the machine's cores are for the other chats.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        # ``timeout`` is CPU time, which the machine's load does not stretch: a page read in
        # one second of CPU may wait ten on a busy machine, and is still read. The wall clock
        # only catches a child that waits on nothing.
        cpu = max(1, math.ceil(timeout))
        with subprocess.Popen(  # noqa: S603  # fixed command, no shell, image on stdin
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env) as child:
            resource.prlimit(child.pid, resource.RLIMIT_CPU, (cpu, cpu + 1))
            try:
                out, _ = child.communicate(png.getvalue(), timeout=timeout * _WALL_PER_CPU)
            except subprocess.TimeoutExpired as exc:
                child.kill()
                raise OcrFailed("timeout") from exc
        if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise OcrFailed("timeout")
        if child.returncode != 0:
            raise OcrFailed("error")
        text = out.decode("utf-8", "replace")
        return [line for line in text.splitlines() if line.strip()]


@cache
def _rapidocr() -> Any:
    from rapidocr_onnxruntime import RapidOCR  # optional: installed with the bench extra

    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


class RapidOcr:
    """RapidOCR (PP-OCR models in ONNX, shipped inside the wheel; no download at run time)."""

    name = "rapidocr"

    def read_lines(self, page: Image.Image, timeout: float) -> list[str]:
        """Detect text boxes, read them, and join boxes on the same row into lines."""
        try:
            engine = _rapidocr()
        except ImportError as exc:
            raise OcrFailed("missing") from exc
        import numpy as np

        try:
            found, _ = engine(np.asarray(page.convert("RGB")))
        except Exception as exc:  # the ONNX runtime raises its own types
            raise OcrFailed("error") from exc
        return _rows(found or [])


def _rows(found: Sequence[Any]) -> list[str]:
    """Group boxes whose vertical centres are within half a box height, left to right."""
    boxes = []
    for corners, text, _score in found:
        ys = [point[1] for point in corners]
        boxes.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), corners[0][0], text))
    boxes.sort()
    rows: list[list[tuple[float, float, float, str]]] = []
    for box in boxes:
        if rows and abs(box[0] - rows[-1][0][0]) < rows[-1][0][1] / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    return ["  ".join(b[3] for b in sorted(row, key=lambda b: b[2])) for row in rows]


ENGINES: dict[str, type[Tesseract] | type[RapidOcr]] = {"tesseract": Tesseract,
                                                        "rapidocr": RapidOcr}
