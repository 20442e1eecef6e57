"""Adapters: the only code that knows about Telegram or the terminal; the engine knows neither."""
