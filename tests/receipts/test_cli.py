"""``python -m bot.receipts``: one JSON object a line, exit 2 on a file it cannot read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.receipts.test_reader import THB_BILL, _image

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # The command under test, with our own arguments.
    return subprocess.run([sys.executable, "-m", "bot.receipts", *args], cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)


def test_each_file_is_one_json_line_with_euros(tmp_path):
    receipt = tmp_path / "facture.png"
    receipt.write_bytes(_image(THB_BILL))
    done = _run(str(receipt), "--timeout", "120")
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert set(row) == {"file", "amount", "currency", "date", "provider", "confidence", "eur",
                        "rate", "rate_date"}
    assert (row["file"], row["amount"], row["currency"], row["date"]) == (
        "facture.png", "45000.00", "THB", "2025-07-03")
    assert (row["rate"], row["rate_date"], row["eur"]) == ("38.162", "2025-07-03", "1179.18")


def test_an_unreadable_file_exits_2_with_the_french_message(tmp_path):
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"junk")
    done = _run(str(bad))
    assert done.returncode == 2
    assert "Je n'arrive pas à lire le fichier « photo.jpg »" in done.stderr
    assert done.stdout == ""


def test_rates_info_and_a_newer_file_by_path(tmp_path):
    assert json.loads(_run("--rates-info").stdout)["rates_date"] >= "2026-01-01"
    newer = tmp_path / "eurofxref-hist.csv"
    newer.write_text("Date,USD,\n2030-01-03,2.0,\n")
    done = _run("--rates-info", "--rates", str(newer))
    assert json.loads(done.stdout) == {"rates_date": "2030-01-03"}
