"""Settings: defaults, environment, .env file, and the secret that never shows."""
# ruff: noqa: S106  (fake tokens)

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.adapters.telegram import webhook_secret
from bot.operator import OperatorSettings
from bot.settings import Settings

ENV_KEYS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_API_BASE_FILE_URL",
            "DATABASE_PATH", "WEBHOOK_URL", "WEBHOOK_SECRET", "HOST", "PORT", "LOG_LEVEL",
            "ALBUM_DELAY_SECONDS")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


def test_defaults_poll_the_real_api_on_loopback_settings():
    settings = Settings(_env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_api_base_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_path == Path("soins_etranger.sqlite3")
    assert settings.webhook_url is None
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8080, "INFO")


def test_environment_is_read_and_token_stays_secret(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:SECRET")
    monkeypatch.setenv("DATABASE_PATH", "/tmp/claims.sqlite3")
    monkeypatch.setenv("PORT", "9000")
    settings = Settings(_env_file=None)
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:SECRET"
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())
    assert settings.database_path == Path("/tmp/claims.sqlite3")
    assert settings.port == 9000


def test_env_file_is_read_and_blank_keys_mean_unset(tmp_path):
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=\nWEBHOOK_URL=\nLOG_LEVEL=DEBUG\n", encoding="utf-8")
    settings = Settings(_env_file=env)
    assert settings.telegram_bot_token is None
    assert settings.webhook_url is None
    assert settings.log_level == "DEBUG"


def test_example_env_documents_every_setting():
    example = Path(__file__).resolve().parents[2] / ".env.example"
    keys = {line.split("=", 1)[0] for line in example.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}
    console = {f"OPERATOR_{name.upper()}" for name in ("accounts_file", "session_secret",
                                                      "secure_cookie")}
    assert keys == {name.upper() for name in Settings.model_fields} | console
    Settings(_env_file=example)  # and every value in it is valid
    OperatorSettings(_env_file=example)


def test_bad_values_are_refused():
    with pytest.raises(ValidationError):
        Settings(_env_file=None, log_level="LOUD")
    with pytest.raises(ValidationError):
        Settings(_env_file=None, port=0)


def test_webhook_secret_is_stable_and_does_not_reveal_the_token():
    settings = Settings(_env_file=None, telegram_bot_token="123:SECRET")
    secret = webhook_secret(settings)
    assert secret == webhook_secret(settings)
    assert "SECRET" not in secret and len(secret) == 32
    chosen = Settings(_env_file=None, telegram_bot_token="123:SECRET", webhook_secret="abc")
    assert webhook_secret(chosen) == "abc"


def test_retention_days_defaults_to_90_and_refuses_less_than_15_days():
    import pydantic
    import pytest

    from bot.settings import Settings

    assert Settings(_env_file=None).retention_days == 90
    with pytest.raises(pydantic.ValidationError):
        Settings(_env_file=None, retention_days=7)


def test_help_prints_the_usage_and_every_setting_without_starting(tmp_path):
    """Issue 14 (7): ``python -m bot --help`` explains, and opens no store."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=True)
    assert "python -m bot" in done.stdout
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_PATH", "OPERATOR_ACCOUNTS_FILE",
                 "TRUSTED_PROXIES"):
        assert name in done.stdout
    assert not list(tmp_path.iterdir())  # no database was created
