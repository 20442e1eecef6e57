"""Issue 14 (6): an English conversation shows no French, except the form's own labels.

Every screen of a whole claim is rendered in English; French words outside « … » (the
form's labels, quoted), (…) (the form's wording beside the English) or a copied value fail
the test.
"""

from __future__ import annotations

import re

from bot.domain.io import Command, Reply
from tests import claims
from tests.fakes.images import make_jpeg
from tests.fakes.users import ScriptedUser

FRENCH_WORDS = {"vous", "votre", "vos", "les", "des", "une", "est", "pour", "avec", "dans",
                "sur", "pas", "étape", "demande", "réponse", "touchez", "envoyez", "merci",
                "aucune", "fichier", "fichiers", "cette", "oui", "non"}


def _french_in(text: str) -> set[str]:
    plain = re.sub(r"«[^»]*»|\([^)]*\)", " ", text)
    return set(re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", plain.lower())) & FRENCH_WORDS


async def test_every_screen_of_a_claim_is_english(service):
    user = ScriptedUser(service)
    shown = list(await service.handle(user.chat_id, Command("start"), language="en"))
    for action, value in [*claims.POLOGNE, ("press", "nav:list"), ("press", "nav:help")]:
        shown += await (user.press(value) if action == "press" else user.send(value))
    shown += await _documents_managed(user)
    for action, value in [*claims.FINISH_WITHOUT_FILES, ("press", "nav:more_info"),
                          ("press", "nav:copy_recap")]:
        shown += await (user.press(value) if action == "press" else user.send(value))
    assert len(shown) > 30
    # A copy button shows the form's French value after « · »: that part is the form's.
    parts = [part for reply in shown for part in (
        reply.text, *(b.label.split(" · ")[0] if b.copy else b.label for b in reply.buttons))]
    leaks = {part[:80]: _french_in(part) for part in parts if _french_in(part)}
    assert leaks == {}


async def _documents_managed(user: ScriptedUser) -> list[Reply]:
    """Send files, sort, merge, list, retype, replace and remove them (« My documents »)."""
    shown: list[Reply] = []
    for seed in (1, 2):
        shown += await user.upload(make_jpeg(600, 800, seed=seed), f"invoice_{seed}.jpg")
        shown += await user.press(next(p for p in user.payloads if p.endswith(":facture")))
    shown += await user.press("nav:my_documents")
    doc_id = user.payloads[-2].rsplit(":", 1)[1]
    for step in ("doc:open:{}", "doc:type:{}", "cat:{}:facture", "doc:replace:{}"):
        shown += await user.press(step.format(doc_id))
        assert "longer" not in user.text, (step, user.text)  # not a stale button
    shown += await user.upload(make_jpeg(600, 800, seed=3), "new.jpg")
    shown += await user.send("remove the last photo")
    shown += await user.press(user.payloads[0])
    assert "Document removed and erased" in user.text
    return shown


def test_the_check_sees_french():
    assert _french_in("Touchez le bouton pour continuer") == {"touchez", "pour"}
    assert _french_in("Tap « Demander un remboursement de soins à l'étranger »") == set()
