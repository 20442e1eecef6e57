"""Typed answers to every fixed list, as people type them on a phone (issue 14 point 2).

The seeds (``typed_answers``) are typed with capitals, without accents, with one typo, in
capitals or with a word around them; a hand-written core holds the tricky cases: sentences,
negatives that must not match, and ambiguous answers that must be asked back (None).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest

from bot.domain.categories import category_choices
from bot.domain.choices import ChoiceList, all_list_names, choice_list
from tests.domain.typed_answers import SEEDS


def _list(name: str) -> ChoiceList:
    return category_choices() if name == "category" else choice_list(name)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _one_typo(text: str) -> str:
    """Drop a letter in the middle of the longest word of 6 letters or more."""
    longest = max(text.split(), key=len)
    if len(longest) < 6:
        return text
    middle = len(longest) // 2
    return text.replace(longest, longest[:middle] + longest[middle + 1:], 1)


def _variants(seed: str) -> Iterator[str]:
    yield seed
    yield seed.capitalize()
    yield seed.upper()
    yield _without_accents(seed).lower()
    yield _one_typo(seed)
    yield f"{seed} !"
    yield f"euh {seed}"


def _typed(list_name: str) -> dict[str, str]:
    typed: dict[str, str] = {}
    for choice_id, seeds in SEEDS[list_name].items():
        for seed in seeds:
            for variant in _variants(seed):
                typed.setdefault(variant, choice_id)
    return typed


def test_every_list_and_every_choice_has_seeds():
    assert set(SEEDS) == {*all_list_names(), "category"}
    for name, seeds in SEEDS.items():
        assert set(seeds) == {choice.id for choice in _list(name).choices}, name


@pytest.mark.parametrize("list_name", sorted(SEEDS))
def test_every_label_and_alias_designates_its_own_choice(list_name):
    choices = _list(list_name)
    for choice in choices.choices:
        for name in (choice.label, choice.label_en, *choice.aliases):
            found = choices.match(name)
            assert found is not None and found.id == choice.id, (name, found)


@pytest.mark.parametrize("list_name", sorted(SEEDS))
def test_at_least_100_typed_answers_per_list_pick_their_choice(list_name):
    typed = _typed(list_name)
    assert len(typed) >= 100
    choices = _list(list_name)
    wrong = {answer: (expected, found.id if (found := choices.match(answer)) else None)
             for answer, expected in typed.items()
             if (found := choices.match(answer)) is None or found.id != expected}
    assert wrong == {}


@pytest.mark.parametrize(("list_name", "typed", "expected"), [
    # Issue 14: « autre acident » is the other accident, never « Autre ».
    ("care_link", "autre acident", "accident"), ("care_link", "Un autre accident", "accident"),
    ("care_link", "autre", "autre"), ("care_link", "accident", "accident"),
    ("care_link", "accident causé par un tiers", "accident_tiers"),
    ("care_link", "je suis tombée dans l'escalier", "accident"),
    ("care_link", "j'ai eu la grippe", "maladie"), ("care_link", "3", "accident"),
    ("care_link", "maladie et accident", None), ("care_link", "oui", None),
    ("care_link", "accident ou maladie je sais pas", None),
    ("care_link", "bonjour", None), ("care_link", "pizza", None), ("care_link", "", None),
    ("care_link", "asdfgh qwerty", None), ("care_link", "?!", None),
    # Yes or no, with negations and hesitations.
    ("yes_no", "c'était prévu oui", "oui"), ("yes_no", "pas prévu", "non"),
    ("yes_no", "ce n'était pas prévu", "non"), ("yes_no", "non pas du tout", "non"),
    ("yes_no", "oui tout à fait", "oui"), ("yes_no", "pas du tout", "non"),
    ("yes_no", "tout à fait", "oui"), ("yes_no", "yes it was planned", "oui"),
    ("yes_no", "no it wasn't", "non"), ("yes_no", "noon", "non"), ("yes_no", "1", "oui"),
    ("yes_no", "nn", "non"), ("yes_no", "oiu", "oui"), ("yes_no", "2", "non"),
    ("yes_no", "3", None), ("yes_no", "oui et non", None),
    ("yes_no", "peut-être", None), ("yes_no", "je ne sais pas", None),
    ("yes_no", "je sais plus", None), ("yes_no", "bof", None), ("yes_no", "ok", None),
    ("yes_no", "pas sûr", None),
    # Situations said in sentences; two situations at once are asked back.
    ("situation", "je suis retraitée", "retraite"),
    ("situation", "retraitée depuis 2019", "retraite"),
    ("situation", "étudiante en master", "etudiant"),
    ("situation", "salariée en CDI", "salarie"),
    ("situation", "je travaille en Suisse", "frontalier_suisse"),
    ("situation", "retraité et frontalier", None), ("situation", "étudiant salarié", None),
    ("situation", "sans emploi", None), ("situation", "fonctionnaire", None),
    # Nationalities.
    ("nationality", "belge", "ue"), ("nationality", "je suis suisse", "ue"),
    ("nationality", "américaine", "autre"), ("nationality", "Other", "autre"),
    ("nationality", "franco-marocaine", None),
    # Schemes: a « mutuelle » is not a scheme.
    ("regime", "CPAM", "general"), ("regime", "la sécu", "general"),
    ("regime", "MGEN", "rmp"), ("regime", "mutuelle", None),
    # A feminine ending is the same word: « générale » is « général » (not a typo of it).
    ("regime", "regime generale", "general"), ("regime", "générale", "general"),
    ("nationality", "francaise", "fr"), ("nationality", "polonaise", "ue"),
    # Tariff and sector: one shared word is not an answer.
    ("tariff", "tarification", None), ("tariff", "France", "francaise"),
    ("tariff", "la moins chère", None), ("sector", "hôpital", None),
    ("sector", "hôpital privé", "prive"), ("sector", "clinique", "prive"),
    # The European card.
    ("ceam", "oui je l'avais", "oui"), ("ceam", "non je l'avais oubliée", "non"),
    ("ceam", "je l'ai perdue", "non"), ("ceam", "pas présentée", "non"),
    ("ceam", "présentée", "oui"), ("ceam", "je ne sais pas", None),
    # Reasons for the stay.
    ("stay_reason", "stage erasmus", None), ("stay_reason", "stage de fin d'études", "stage"),
    ("stay_reason", "voyage d'affaires", "detachement"), ("stay_reason", "voyage", "tourisme"),
    ("stay_reason", "travail et vacances", None), ("stay_reason", "famille", "autre"),
    # Prior authorisation: a negated document is a « non ».
    ("authorisation", "pas de S2", "non"), ("authorisation", "S2", "oui"),
    ("authorisation", "je ne sais pas", None),
    # Length of a posting: « mois » is not a typo of « moins ».
    ("detachment_length", "6 mois", "long"), ("detachment_length", "3 mois", "court"),
    ("detachment_length", "2 semaines", "court"), ("detachment_length", "mois", None),
    ("detachment_length", "je ne sais pas", None),
    # Document categories.
    ("category", "facture", "facture"), ("category", "ticket", "preuve_paiement"),
    ("category", "billet", "titre_transport"), ("category", "ordonnance", "prescription"),
    ("category", "boarding pass", "titre_transport"), ("category", "photo", None),
    ("category", "document", None), ("category", "facture et ordonnance", None),
])
def test_tricky_answers(list_name, typed, expected):
    found = _list(list_name).match(typed)
    assert (found.id if found else None) == expected


def test_only_the_start_of_a_very_long_answer_is_read():
    assert choice_list("yes_no").match("oui " + "x" * 100_000).id == "oui"
    assert choice_list("yes_no").match("blabla " * 10_000 + "oui") is None
