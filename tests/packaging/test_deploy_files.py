"""The image and compose files hold what a deploy needs (parsed here: no Docker engine runs
on the test machine, so ``docker build`` itself is not exercised)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# Read by the code that lands with PostgreSQL and the workers (issue 15, parts 1 and 2), or
# by prometheus-client itself.
NOT_YET_SETTINGS = {"PROMETHEUS_MULTIPROC_DIR"}


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))
    pairs = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            pairs.append((word.upper(), " ".join(rest.split())))
    return pairs


def final_stage(text: str) -> list[tuple[str, str]]:
    instructions = dockerfile_instructions(text)
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_is_slim_runs_as_a_user_and_checks_its_health():
    stage = final_stage((ROOT / "Dockerfile").read_text())
    base = stage[0][1]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base), base
    users = [args for word, args in stage if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    (health,) = [args for word, args in stage if word == "HEALTHCHECK"]
    assert "/healthz" in health
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    (command,) = [args for word, args in stage if word == "CMD"]
    assert any(name in command for name in scripts)


def test_the_image_installs_tesseract_and_pinned_dependencies_only():
    stage = final_stage((ROOT / "Dockerfile").read_text())
    runs = " && ".join(args for word, args in stage if word == "RUN")
    (apt,) = re.findall(r"apt-get install ([^&]+)", runs)
    packages = {word for word in apt.split() if not word.startswith("-")}
    assert {"tesseract-ocr", "tesseract-ocr-fra", "tesseract-ocr-eng"} <= packages
    assert "--no-install-recommends" in apt
    heavy = {p for p in packages if not p.startswith(("tesseract-ocr", "fonts-dejavu"))}
    assert not heavy, heavy
    assert "rm -rf /var/lib/apt/lists" in runs
    assert re.search(r"pip install [^&]*--constraint \S*requirements\.lock", runs)


def test_the_docker_context_leaves_secrets_and_local_state_out():
    rules = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert rules[0] == "*"  # everything out, then back in only what the image builds from
    back_in = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert back_in <= {"pyproject.toml", "README.md", "requirements.lock", "bot", "states",
                       "config"}
    assert "config/operators.toml" in rules  # real accounts, git-ignored: never in an image


def test_compose_runs_the_bot_by_webhook_with_workers_and_postgresql():
    services = _compose()["services"]
    bot, db = services["bot"], services["db"]
    assert (ROOT / bot["build"] / "Dockerfile").is_file()
    env = bot["environment"]
    assert "WEBHOOK_URL" in env and "TELEGRAM_BOT_TOKEN" in env
    assert re.fullmatch(r"postgresql://\w+:\$\{[^}]+\}@db:5432/\w+", env["DATABASE_URL"])
    assert re.fullmatch(r"\$\{WEB_CONCURRENCY:-[2-9]\d*\}", env["WEB_CONCURRENCY"])
    assert env["HOST"] == "0.0.0.0"  # noqa: S104  (inside its container)
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(bot["healthcheck"]["test"])
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])


def test_compose_sets_only_settings_the_bot_knows():
    env = set(_compose()["services"]["bot"]["environment"])
    known = {name.upper() for name in Settings.model_fields} | NOT_YET_SETTINGS
    console = {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
               if line.startswith("OPERATOR_")}
    assert env - known - console == set()


def test_the_procfile_has_a_web_process_and_a_worker():
    processes = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines()
                     if line and not line.startswith("#"))
    assert set(processes) == {"web", "worker"}
    assert all("python -m bot" in command for command in processes.values())
