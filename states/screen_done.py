"""The end: the claim is ready and its files were sent; what to do now, in a few lines.

The details (advice, warnings already seen, the checklist) are behind « Plus
d'informations »; « Recopier dans ameli » gives each answer as a button that copies it.
"""

from __future__ import annotations

from bot.domain.checklist import build_checklist, render_checklist
from bot.domain.io import Button, Reply
from bot.domain.pack import render_next_steps
from bot.domain.phrases import join
from states.events import Outcome
from states.machine import DONE, STEPS
from states.prompts import nav
from states.recap import copy_fields
from states.reminder_actions import family_button
from states.view import FlowView, Screen

_COPY_LIMIT = 256
"""Telegram copies 256 characters at most (CopyTextButton)."""


def _prompt(flow: FlowView, lead: str) -> Outcome:
    catalog = flow.catalog
    text = join("\n\n", (lead, catalog.text("state.done", reference=flow.reference())))
    # When LIM-01 makes the next claim wait, « Me le rappeler » beside « Un autre membre ».
    later = family_button(flow)
    buttons = (nav(catalog, "copy_recap"), nav(catalog, "more_info"), nav(catalog, "new_family"),
               *((later,) if later else ()), nav(catalog, "restart"))
    return Outcome([Reply(text, buttons)])


def _more(flow: FlowView, _: str) -> Outcome:
    evaluation = flow.evaluation()
    language = flow.snapshot.language
    details = render_next_steps(flow.draft, evaluation, language, today=flow.today,
                                history=flow.history)
    checklist = render_checklist(build_checklist(flow.draft, evaluation), language)
    return Outcome([Reply(details), Reply(checklist), *flow.prompt().replies])


def _copy(flow: FlowView, _: str) -> Outcome:
    catalog = flow.catalog
    replies = []
    for number, fields in copy_fields(flow.draft, flow.snapshot.language):
        title = catalog.text(STEPS[number - 1].title_key)
        buttons = tuple(Button("", f"{label} · {value}", copy=value[:_COPY_LIMIT])
                        for label, value in fields)
        replies.append(Reply(catalog.text("copy.step", number=number, title=title), buttons))
    return Outcome(replies)


SCREEN = Screen(state=DONE, prompt=_prompt,
                actions={"more_info": _more, "copy_recap": _copy})
