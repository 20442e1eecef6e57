"""The decision table of ``config/rules.toml`` as Markdown, for the README.

Usage:
    python -m bot.domain.decision_table    # paste the output in README.md (a test checks it)
"""

from __future__ import annotations

import sys

from bot.domain.catalog import get_catalog
from bot.domain.eligibility import get_ruleset
from bot.domain.ruleset import BLOCKED, DecisionRow, RuleSet

_COLUMNS = ("#", "Si", "Parcours", "Remboursement", "Autorisation", "Pièce d'identité",
            "Règle", "À faire maintenant", "Réserve")


def _condition(row: DecisionRow, ruleset: RuleSet) -> str:
    if BLOCKED in row.when.root:
        blocks = sorted({r.id for r in ruleset.evaluated() if r.level == "BLOCK"})
        return "une règle BLOCK s'applique (" + ", ".join(blocks) + ")"
    parts = []
    for name, expected in row.when.root.items():
        values = [expected] if isinstance(expected, str) else expected
        parts.append(f"{name} = {values[0]}" if len(values) == 1
                     else f"{name} ∈ {{{', '.join(values)}}}")
    return ", ".join(parts)


def render_table() -> str:
    """Return the decision table: one row per `[[decision]]`, in precedence order."""
    ruleset = get_ruleset()
    catalog = get_catalog("fr")
    lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + " --- |" * len(_COLUMNS)]
    for number, row in enumerate(ruleset.decisions, start=1):
        statements = {**ruleset.routes[row.route].statements, **row.statements}
        now = f"rules.route.{row.key}.now"
        cells = (
            str(number), _condition(row, ruleset), f"`{row.route}`",
            statements.get("refund_basis", "—"), statements.get("authorisation", "—"),
            statements.get("identity_document", "selon la zone (DOC-05)"),
            row.rule or "—", catalog.text(now) if catalog.has(now) else "—",
            row.basis or "—",
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render_table() + "\n")
