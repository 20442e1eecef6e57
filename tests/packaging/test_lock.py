"""requirements.lock pins every dependency of pyproject.toml, and make installs those pins."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pins(text: str) -> dict[str, str]:
    """Return name -> version for the lock's lines that apply to this interpreter."""
    found = {}
    for line in text.splitlines():
        if not line or line[0] in "# ":
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (spec,) = requirement.specifier
            found[canonicalize_name(requirement.name)] = spec.version
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [dep for group in project["optional-dependencies"].values() for dep in group]
    return [Requirement(dep) for dep in [*project["dependencies"], *extras]]


def test_every_declared_dependency_is_pinned_within_its_range():
    locked = pins((ROOT / "requirements.lock").read_text())
    missing = [str(dep) for dep in declared() if canonicalize_name(dep.name) not in locked]
    assert not missing, "run `make lock`: not pinned: " + ", ".join(missing)
    outside = [f"{dep} (locked {locked[canonicalize_name(dep.name)]})" for dep in declared()
               if locked[canonicalize_name(dep.name)] not in dep.specifier]
    assert not outside, "run `make lock`: " + ", ".join(outside)


def test_the_environment_runs_the_locked_versions():
    locked = pins((ROOT / "requirements.lock").read_text())
    for dep in declared():
        name = canonicalize_name(dep.name)
        assert metadata.version(name) == locked[name], f"{name}: rebuild .venv (make test)"


def test_the_lock_parser_sees_a_drift():
    assert pins("foo==1.0\n    # via bar\nbaz==2.0 ; python_version < '3'\n") == {"foo": "1.0"}
    assert Requirement("pillow>=11,<14").specifier.contains("14.0") is False
