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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in SOURCES}


def _internal_imports(path: Path) -> set[str]:
    """Return the project modules ``path`` imports (``from states import flow`` included)."""
    found: set[str] = set()
    for name in _imports(path, with_names=True):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != _module_name(path):
            found.add(name)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle of ``graph`` (as a path), or [] when there is none."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        if node in stack:
            return [*stack[stack.index(node):], node]
        if node in done:
            return []
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            found = visit(nxt)
            if found:
                return found
        stack.pop()
        done.add(node)
        return []

    for start in sorted(graph):
        found = visit(start)
        if found:
            return found
    return []


def test_no_import_circle_in_bot_and_states():
    graph = {name: _internal_imports(path) for name, path in MODULES.items()}
    assert _cycle(graph) == []


def test_the_circle_check_can_fail():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def _imports(path: Path, *, with_names: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from states import flow`` imports the module states.flow, not the package.
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & set(MODULES)
            found |= submodules if with_names and submodules else {node.module}
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
