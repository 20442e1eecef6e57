"""The bot starts without importing what only a conversion or the console uses (issue 10, 4).

OpenCV, NumPy, pypdf, fpdf and dateparser cost more to import than the bot takes to start;
they are imported by the conversion workers, on first use. The web console is imported only
when it is configured.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADED_ONLY_WHEN_USED = ("cv2", "numpy", "pypdf", "fpdf", "dateparser", "PIL.Image",
                         "bot.operator.app", "starlette")
# Runs ``python -m bot`` as the terminal chat, and prints, as it exits, which of those the
# process imported.
_PROBE = f"""
import atexit, runpy, sys
atexit.register(lambda: print("LOADED", *[name for name in {LOADED_ONLY_WHEN_USED!r}
                                          if name in sys.modules]))
sys.argv = ["bot"]
runpy.run_module("bot", run_name="__main__")
"""


def test_the_terminal_chat_starts_without_the_conversion_libraries_or_the_console(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "OPERATOR_", "DATABASE_"))}
    env["DATABASE_PATH"] = str(tmp_path / "bot.sqlite3")
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, input="",  # noqa: S603 (our own probe)
                          capture_output=True, text=True, timeout=120, check=True)
    assert "Chat local" in done.stdout  # it did start: the terminal chat greeted
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    assert loaded.split()[1:] == []
