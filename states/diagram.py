"""Draw the conversation as a Mermaid flowchart, from the machine's own transitions.

``python -m states.diagram`` prints it; the README embeds it and a test keeps them in step.
"""

from __future__ import annotations

from collections import defaultdict

from states.machine import (
    BOT_STATES,
    EDITABLE,
    MACHINE_CONFIG,
    QUESTIONS,
    SEQUENCE,
    STATES,
    STEPS,
    step_of,
)

# Groups of states that a named trigger leaves from or goes to, drawn as one node.
_GROUPS: dict[frozenset[str], tuple[str, str]] = {
    frozenset(STATES): ("any", "tout état"),
    frozenset(BOT_STATES): ("any_bot", "tout état où le bot mène"),
    frozenset(QUESTIONS): ("any_question", "toute question"),
    frozenset(EDITABLE): ("editable", "question, documents ou récapitulatif"),
}


def _node(state: str) -> str:
    return state.replace(".", "_")


def _end(states: set[str], shapes: dict[str, str]) -> str:
    """Return the node of one state, or of a named group (recorded in ``shapes``)."""
    if len(states) == 1:
        return _node(next(iter(states)))
    node, label = _GROUPS[frozenset(states)]
    shapes[node] = f"  {node}(({label}))"
    return node


def render_mermaid() -> str:
    """Return the flowchart: the steps' boxes, ``next`` in form order, named triggers dashed."""
    lines = ["flowchart TD"]
    for step in STEPS:
        members = [s for s in SEQUENCE if step_of(s) is step]
        lines.append(f"  subgraph {step.id}[\"Étape {step.number}\"]")
        for state in members:
            question = QUESTIONS.get(state)
            when = f"<br/><i>si {question.when}</i>" if question and question.when else ""
            lines.append(f"    {_node(state)}[\"{state}{when}\"]")
        lines.append("  end")
    nexts: dict[str, list[str]] = defaultdict(list)
    named: dict[str, tuple[set[str], set[str]]] = {}
    for transition in MACHINE_CONFIG["transitions"]:
        trigger, source, dest = transition["trigger"], transition["source"], transition["dest"]
        sources = set(STATES) if source == "*" else set(
            source if isinstance(source, list) else [source])
        if trigger == "next":
            nexts[next(iter(sources))].append(dest)
        elif trigger != "back":  # every ``next`` has its ``back``: not drawn twice
            froms, tos = named.setdefault(trigger, (set(), set()))
            froms |= sources
            tos.add(dest)
    # ``next`` to the nearest later state; farther ones are the skips of unasked questions.
    lines += [f"  {_node(source)} --> {_node(dests[0])}" for source, dests in nexts.items()]
    shapes: dict[str, str] = {}
    for trigger, (froms, tos) in named.items():
        lines.append(f"  {_end(froms, shapes)} -. {trigger} .-> {_end(tos, shapes)}")
    return "\n".join([*lines[:1], *shapes.values(), *lines[1:]])


if __name__ == "__main__":
    print(render_mermaid())  # noqa: T201
