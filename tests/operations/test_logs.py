"""LOG_FORMAT=json: each record is one JSON object on one line, exceptions included."""

from __future__ import annotations

import json
import logging
import sys

from bot.observability.logs import JsonFormatter


def _record(message: str, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("bot.service", logging.ERROR, __file__, 1, message, (), exc_info)


def test_a_record_is_one_line_of_json():
    line = JsonFormatter().format(_record("update %s: two\nlines"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "update %s: two\nlines"
    assert entry["level"] == "ERROR" and entry["logger"] == "bot.service"
    assert entry["time"].endswith("+00:00")


def test_an_exception_stays_inside_the_line():
    try:
        raise ValueError("bad page")
    except ValueError:
        line = JsonFormatter().format(_record("conversion failed", sys.exc_info()))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["exception"].startswith("Traceback") and "ValueError: bad page" in entry[
        "exception"]
