"""Test doubles: a fake Telegram Bot API (in process and over HTTP) and a Telegram user."""
