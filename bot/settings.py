"""Runtime settings, read from the environment or a git-ignored ``.env`` (see ``.env.example``)."""

from __future__ import annotations

from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.documents.isolation import Limits
from bot.domain.durations import parse_duration
from bot.domain.local_time import Hours
from bot.domain.opening_hours import (
    DEFAULT_ANSWER_MINUTES,
    DEFAULT_HOURS,
    AdviserDesk,
    OpeningHours,
)
from bot.domain.reminders import Kind, ReminderPolicy, reminder_policy
from bot.storage.stores import is_postgres

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]


class Settings(BaseSettings):
    """Every knob the bot reads at start-up; tests build ``Settings(_env_file=None, ...)``."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_base_file_url: str = "https://api.telegram.org/file/bot"
    database_path: Path = Path("soins_etranger.sqlite3")
    # postgresql://user:password@host/db: PostgreSQL (production, several workers); unset:
    # the SQLite file at DATABASE_PATH (the embedded default).
    database_url: SecretStr | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Webhook worker processes on HOST:PORT (with WEBHOOK_URL); more than one needs PostgreSQL.
    web_concurrency: int = Field(default=1, ge=1, le=64)
    # Messages per second to the Bot API, all chats and all workers together (Telegram's
    # limit is about 30); 0: no throttle (a local Bot API server, a test double).
    bot_api_max_rate: float = Field(default=30, ge=0, le=1000)
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "text"  # json: one JSON object per line, for a log collector
    album_delay_seconds: float = Field(default=1.2, gt=0, le=10)
    # Conversations idle this long are erased (GDPR storage limitation). At least 15 days:
    # ready claims must be remembered that long to apply the 2-claims-per-15-days limit.
    retention_days: int = Field(default=90, ge=15, le=3650)
    # Files are converted in worker processes (bot.documents.isolation): how many at once,
    # and what one file may cost each: memory beyond a warm worker's, CPU time, wall time.
    conversion_workers: int = Field(default=2, ge=1, le=32)
    conversion_memory_mb: int = Field(default=768, ge=128, le=65536)
    conversion_cpu_seconds: int = Field(default=30, ge=1, le=3600)
    conversion_timeout_seconds: float = Field(default=120, gt=0, le=3600)
    # Proxies whose X-Forwarded-For the console believes (addresses or networks, comma
    # separated). Empty: the client address is the connection's, whatever the headers say.
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    # When advisers answer travellers who ask for a person (Paris time), e.g.
    # "Mon-Fri 09:00-12:30,13:30-17:00; Sat 09:00-12:00" (bot/domain/opening_hours.py).
    adviser_hours: str = DEFAULT_HOURS
    # Open minutes without an adviser's answer before the traveller is given the phone line.
    adviser_answer_minutes: int = Field(default=DEFAULT_ANSWER_MINUTES, ge=1, le=24 * 60)

    @field_validator("adviser_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        """Refuse hours the desk cannot read, at start-up."""
        OpeningHours.parse(value)
        return value

    @property
    def desk(self) -> AdviserDesk:
        """Return the advisers' desk: their hours and how soon they answer."""
        return AdviserDesk.of(self.adviser_hours, self.adviser_answer_minutes)
    # Reminders (issue 16). Unset: config/reminders.toml's (09:00-20:00, 24h, 3d, 4w).
    # Durations: 90s, 30m, 24h, 3d, 4w.
    reminder_hours: str | None = None
    reminder_unfinished_after: timedelta | None = None
    reminder_unfinished_again_after: timedelta | None = None
    reminder_follow_up_after: timedelta | None = None
    # How often the due reminders are looked for (one worker looks at a time).
    reminder_check_every: timedelta = timedelta(minutes=1)

    @field_validator("reminder_unfinished_after", "reminder_unfinished_again_after",
                     "reminder_follow_up_after", "reminder_check_every", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        """Read ``90s``, ``30m``, ``24h``, ``3d``; blank is unset."""
        if isinstance(value, str):
            return parse_duration(value) if value.strip() else None
        return value

    @field_validator("reminder_check_every")
    @classmethod
    def _often_enough(cls, value: timedelta | None) -> timedelta:
        """Look at least hourly, and not more than ten times a second."""
        if value is None or not timedelta(seconds=0.1) <= value <= timedelta(hours=1):
            raise ValueError("REMINDER_CHECK_EVERY must be between 0.1s and 1h")
        return value

    @field_validator("reminder_hours")
    @classmethod
    def _reminder_hours(cls, value: str | None) -> str | None:
        """Check ``09:00-20:00`` now: a typo stops the start, not a reminder."""
        if value is not None and value.strip():
            Hours.parse(value)
            return value
        return None

    def reminder_policy(self) -> ReminderPolicy:
        """Return the rules of ``config/reminders.toml``, as these settings change them."""
        after = {kind: value for kind, value in ((Kind.UNFINISHED, self.reminder_unfinished_after),
                                                 (Kind.FOLLOW_UP, self.reminder_follow_up_after))
                 if value is not None}
        again = ({Kind.UNFINISHED: self.reminder_unfinished_again_after}
                 if self.reminder_unfinished_again_after is not None else {})
        hours = Hours.parse(self.reminder_hours) if self.reminder_hours else None
        return reminder_policy().overridden(hours=hours, after=after, again=again)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """Read ``10.0.0.1, 192.168.0.0/24`` (a bare address is a /32 or /128)."""
        if isinstance(value, str):
            return tuple(ip_network(part.strip(), strict=False)
                         for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        """Only a PostgreSQL URL is accepted (SQLite is ``DATABASE_PATH``)."""
        if value is not None and not is_postgres(value.get_secret_value()):
            raise ValueError("DATABASE_URL must start with postgresql://")
        return value

    @property
    def conversion_limits(self) -> Limits:
        """The limits of the conversion workers, as ``bot.documents.isolation`` takes them."""
        return Limits(workers=self.conversion_workers,
                      memory_bytes=self.conversion_memory_mb * 2**20,
                      cpu_seconds=self.conversion_cpu_seconds,
                      wall_seconds=self.conversion_timeout_seconds)

    @property
    def store(self) -> str | Path:
        """Where the store is: the PostgreSQL URL if set, else the SQLite file."""
        return self.database_url.get_secret_value() if self.database_url else self.database_path

    @field_validator("telegram_bot_token", "webhook_url", "webhook_secret", "database_url",
                     mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Treat ``KEY=`` (as copied from ``.env.example``) as not set."""
        if isinstance(value, str) and not value.strip():
            return None
        return value
