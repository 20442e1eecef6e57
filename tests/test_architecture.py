"""Dependencies point inward: adapters → service → states → domain, documents (STYLE.md §2.1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("states/**/*.py")])

# What each layer may not import (prefix match on the imported module).
FORBIDDEN = {
    "bot/domain/": ("telegram", "aiosqlite", "states", "bot.adapters", "bot.storage",
                    "bot.service", "bot.documents", "starlette", "PIL", "pypdf"),
    "bot/documents/": ("telegram", "aiosqlite", "states", "bot.adapters", "bot.storage",
                       "bot.service", "starlette"),
    "states/": ("telegram", "aiosqlite", "bot.adapters", "bot.storage", "bot.service",
                "starlette"),
    "bot/storage/": ("telegram", "states.flow", "bot.adapters", "bot.service"),
    "bot/service": ("telegram", "aiosqlite", "bot.adapters"),
    "bot/operator/": ("telegram", "aiosqlite", "bot.adapters"),
}
ONLY_HERE = {"telegram": "bot/adapters/", "aiosqlite": "bot/storage/"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_respects_the_layers(path):
    relative = str(path.relative_to(ROOT))
    imported = _imports(path)
    for layer, forbidden in FORBIDDEN.items():
        if relative.startswith(layer):
            bad = {m for m in imported if m.split(".")[0] in forbidden or m.startswith(forbidden)}
            assert not bad, f"{relative} imports {bad}"
    for package, home in ONLY_HERE.items():
        users = {m for m in imported if m == package or m.startswith(f"{package}.")}
        assert not users or relative.startswith(home), f"{relative} imports {users}"


def test_the_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import telegram\nfrom aiosqlite import connect\n")
    assert _imports(bad) == {"telegram", "aiosqlite"}
