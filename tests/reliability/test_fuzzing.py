"""Random input at every question: always a French answer, never an exception, nothing lost."""

from __future__ import annotations

import asyncio
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.io import Command, Press, Text
from bot.service import ConversationService
from bot.storage.sqlite import open_repository
from states.machine import QUESTIONS
from states.snapshot import FlowSnapshot
from tests import claims

FRENCH_MARKERS = ("é", "è", "à", "ç", "Étape", "ez", "vous", "Vous", "Je ", "✔️")

noise = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(categories=("So", "Sk", "Cs", "Zs")), max_size=20),
    st.just("x" * 4096),
    st.just(""),
    # No « /retour »: going back and answering again is a wanted change (tested elsewhere).
    st.sampled_from(["/inconnue", "/aide", "/recap", "???", "🙂🙂", "NULL",
                     "'; DROP TABLE conversations; --", "31/02/2020", "-0", "1e9"]),
)
inputs = st.one_of(
    noise.map(Text),
    st.text(max_size=70).map(Press),
    st.sampled_from(["a:personal.situation:zzz", "cat:nope:facture", "edit:q:stay.country",
                     "why:XXX-99", "nav:docs_done", "crt:originals:oui",
                     "sugg:care.amount"]).map(Press),
    st.sampled_from(["help", "summary", "status", "why", "list"]).map(Command),
)


async def _reach(service: ConversationService, chat_id: str, question: str) -> FlowSnapshot:
    await service.handle(chat_id, Command("start"))
    for action, value in claims.POLOGNE:
        raw = await service._repository.load(chat_id)
        snapshot = FlowSnapshot.model_validate_json(raw or "{}")
        if snapshot.state == question:
            return snapshot
        await service.handle(chat_id, Press(value) if action == "press" else Text(value))
    raise AssertionError(question)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=st.sampled_from(sorted(set(QUESTIONS) - {
    "care.authorisation", "stay.detachment_length"})), junk=st.lists(inputs, max_size=4))
def test_random_input_never_raises_or_changes_earlier_answers(tmp_path_factory, question, junk):
    async def scenario() -> None:
        path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
        repository = await open_repository(path)
        service = ConversationService(repository, clock=lambda: date(2020, 10, 15))
        try:
            before = await _reach(service, "fuzz", question)
            earlier = {q.field: before.draft.value(q.field) for q in QUESTIONS.values()
                       if list(QUESTIONS).index(q.id) < list(QUESTIONS).index(question)}
            for item in junk:
                replies = await service.handle("fuzz", item)
                assert replies, item
                assert all(r.text.strip() for r in replies)
                assert any(m in r.text for r in replies for m in FRENCH_MARKERS), replies
                assert all(len(b.payload.encode()) <= 64 for r in replies for b in r.buttons)
            after = FlowSnapshot.model_validate_json(await repository.load("fuzz") or "{}")
            if after.state not in ("cancelled", "welcome"):
                for field, value in earlier.items():
                    assert after.draft.value(field) == value, field
        finally:
            await repository.close()

    asyncio.run(scenario())
