"""Every data file of config/ is read into a model that refuses unknown or missing keys."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.domain.config_files import (
    AdvisersFile,
    ChoicesFile,
    DocumentsFile,
    IntentsFile,
    check_config_files,
)
from bot.domain.intents import menu_commands, slash_commands


def test_the_shipped_files_are_valid():
    check_config_files()


@pytest.mark.parametrize(("model", "data"), [
    (ChoicesFile, {"yes_no": {"choices": [{"id": "oui", "label": "Oui", "label_en": "Yes",
                                           "alias": ["o"]}]}}),  # a typo of ``aliases``
    (ChoicesFile, {"yes_no": {"choices": [{"id": "oui", "label": "Oui"}]}}),  # no label_en
    (DocumentsFile, {"category": [{"id": "facture", "label_fr": "Facture",
                                   "label_en": "Invoice"}]}),  # the old naming
    (DocumentsFile, {"categories": []}),
    (IntentsFile, {"commands": {"help": "aide"}}),  # a phrase, not a list of phrases
    (AdvisersFile, {"holidays": {"fixed": ["25-12"]}}),  # day-month, not month-day
], ids=["unknown key", "missing key", "old label naming", "wrong table", "not a list",
        "not a month-day"])
def test_a_wrong_key_is_refused(model, data):
    with pytest.raises(ValidationError):
        model.model_validate(data)


def test_command_words_are_one_list_for_every_adapter():
    assert slash_commands()["aide"] == slash_commands()["help"] == "help"
    assert [word for word, _ in menu_commands("fr")] == [
        "start", "aide", "retour", "annuler", "recap", "mes_documents", "supprimer",
        "mes_demandes", "langue", "conseiller", "rappels"]
    assert [word for word, _ in menu_commands("en")][:3] == ["start", "help", "back"]
