"""Draw the conversation as a Mermaid flowchart, from the same steps the machine is built from.

``python -m states.diagram`` prints it; the README embeds it and a test keeps them in step.
"""

from __future__ import annotations

from itertools import pairwise

from states.machine import QUESTIONS, SEQUENCE, STEPS, step_of


def _node(state: str) -> str:
    return state.replace(".", "_")


def render_mermaid() -> str:
    """Return the flowchart: one box per state, dashed boxes for conditional questions."""
    lines = ["flowchart TD"]
    for step in STEPS:
        members = [s for s in SEQUENCE if step_of(s) is step]
        lines.append(f"  subgraph {step.id}[\"Étape {step.number}\"]")
        for state in members:
            question = QUESTIONS.get(state)
            when = f"<br/><i>si {question.when}</i>" if question and question.when else ""
            lines.append(f"    {_node(state)}[\"{state}{when}\"]")
        lines.append("  end")
    for before, after in pairwise(SEQUENCE):
        lines.append(f"  {_node(before)} --> {_node(after)}")
    lines += [
        "  any((toute question)) -. règle BLOCK .-> blocked",
        "  any -. /annuler .-> cancelled",
        "  summary -. modifier .-> any",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_mermaid())  # noqa: T201
