"""``config/reminders.toml``: checked when read, each kind citing rules that exist, every
condition and instant it names known; the REMINDER_* settings override it (issue 16)."""

from __future__ import annotations

import tomllib
from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.domain.catalog import CONFIG_DIR, get_catalog
from bot.domain.reminders import Kind, ReminderPolicy, reminder_policy
from bot.settings import Settings
from states.reminders import check_policy

RAW = tomllib.loads((CONFIG_DIR / "reminders.toml").read_text(encoding="utf-8"))
RULE_IDS = {rule["id"] for rule in
            tomllib.loads((CONFIG_DIR / "rules.toml").read_text(encoding="utf-8"))["rule"]}


def test_the_shipped_rules_are_valid_and_name_known_conditions():
    policy = reminder_policy()
    check_policy(policy)
    assert policy.rule(Kind.UNFINISHED).after == timedelta(hours=24)
    assert policy.rule(Kind.UNFINISHED).again == timedelta(days=3)
    assert policy.rule(Kind.FOLLOW_UP).after == timedelta(weeks=4)
    assert str(policy.hours) == "09:00-20:00"


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_cites_existing_rules_and_has_its_texts(kind):
    rule = reminder_policy().rule(kind)
    assert set(rule.rules) <= RULE_IDS
    assert "stop" in rule.buttons  # every reminder has « Ne plus me rappeler »
    for language in ("fr", "en"):
        catalog = get_catalog(language)
        assert catalog.has(f"reminder.{kind}.text") and catalog.has(f"reminder.{kind}.what")
        assert all(catalog.has(f"button.reminder_{name}") for name in rule.buttons)


def test_a_wrong_file_is_refused():
    wrong = [dict(RAW, reminder=[dict(RAW["reminder"][0], colour="blue"), *RAW["reminder"][1:]]),
             dict(RAW, reminder=RAW["reminder"][1:]),  # a kind missing
             dict(RAW, hours="20:00-09:00"),
             dict(RAW, reminder=[dict(RAW["reminder"][0], after="demain"),
                                 *RAW["reminder"][1:]])]
    for data in wrong:
        with pytest.raises(ValidationError):
            ReminderPolicy.model_validate(data)
    unknown = ReminderPolicy.model_validate(
        dict(RAW, reminder=[dict(RAW["reminder"][0], when="full_moon"), *RAW["reminder"][1:]]))
    with pytest.raises(ValueError, match="full_moon"):
        check_policy(unknown)


def test_settings_override_the_durations_and_the_hours():
    settings = Settings(_env_file=None, reminder_unfinished_after="90s",
                        reminder_unfinished_again_after="30m", reminder_follow_up_after="3d",
                        reminder_hours="08:30-21:00", reminder_check_every="2s")
    policy = settings.reminder_policy()
    assert policy.rule(Kind.UNFINISHED).after == timedelta(seconds=90)
    assert policy.rule(Kind.UNFINISHED).again == timedelta(minutes=30)
    assert policy.rule(Kind.FOLLOW_UP).after == timedelta(days=3)
    assert str(policy.hours) == "08:30-21:00"
    assert settings.reminder_check_every == timedelta(seconds=2)
    assert Settings(_env_file=None, reminder_unfinished_after="").reminder_policy() == (
        reminder_policy())


@pytest.mark.parametrize(("name", "value"), [
    ("reminder_unfinished_after", "24"), ("reminder_hours", "9h-20h"),
    ("reminder_check_every", "0s"), ("reminder_check_every", "2h"),
])
def test_bad_reminder_settings_are_refused(name, value):
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **{name: value})
