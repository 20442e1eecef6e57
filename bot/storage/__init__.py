"""Storage of conversations, transcripts, documents and events (only here: aiosqlite)."""
