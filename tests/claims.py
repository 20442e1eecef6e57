"""Whole claims as scripts, replayed by the engine tests and the Telegram tests alike.

Each step is (action, value): ``text`` types, ``press`` presses a payload. Typed answers carry
the typos and formats people really use.
"""

from __future__ import annotations

Step = tuple[str, str]

BEGIN: list[Step] = [("press", "nav:begin"), ("text", "cpam")]

# seeds/001 step 5 « Récapitulatif » (RULES.md §8 scenario 3).
POLOGNE: list[Step] = [
    *BEGIN,
    ("text", "francaise"),
    ("press", "a:personal.situation:etudiant"),
    ("text", "NATHALIE"),
    ("text", "07/10/1985"),
    ("text", "Urgence médicale"),
    ("text", "non"),
    ("text", "200,50 €"),
    ("press", "a:care.care_link:accident_tiers"),
    ("text", "12.08.2020"),
    ("text", "Polska"),
    ("text", "oui"),
    ("text", "public"),
    ("press", "a:stay.tariff:francaise"),
    ("text", "oui"),
    ("text", "tourisme"),
    ("text", "22/09/2020"),
    ("text", "28/9/20"),
    ("text", "oui"),
    ("text", "2020-09-26"),
    ("text", "27/09/2020"),
]

# seeds/001 step 3 case 1 (RULES.md §8 scenario 1).
ROYAUME_UNI: list[Step] = [
    *BEGIN,
    ("text", "Française"),
    ("text", "salarie"),
    ("text", "Paul"),
    ("text", "12/03/1979"),
    ("text", "Chute dans l'escalier, poignet cassé"),
    ("text", "non"),
    ("text", "1 234,56"),
    ("text", "accident"),
    ("text", "royaume uni"),
    ("text", "oui"),
    ("press", "a:stay.tariff:sejour"),
    ("text", "non"),
    ("text", "vacances"),
    ("text", "22/09/2020"),
    ("text", "28/09/2020"),
    ("text", "oui"),
    ("text", "26/09/2020"),
    ("text", "27/09/2020"),
]

# seeds/001 step 3 case 2 (RULES.md §8 scenario 2), as of 2025.
AFRIQUE_DU_SUD: list[Step] = [
    *BEGIN,
    ("text", "francaise"),
    ("text", "retraité"),
    ("text", "Jean-Marc"),
    ("text", "02/02/1955"),
    ("text", "Gastro-entérite, consultation en urgence"),
    ("text", "non"),
    ("text", "380"),
    ("text", "maladie"),
    ("text", "afrique du sud"),
    ("text", "tourisme"),
    ("text", "09/05/2025"),
    ("text", "20/05/2025"),
    ("text", "non"),
]

# Scheduled care with an S2 in Germany (RULES.md §8 scenario 6).
SCHEDULED_GERMANY: list[Step] = [
    *BEGIN,
    ("text", "francaise"),
    ("text", "salarie"),
    ("text", "Claire"),
    ("text", "15/06/1970"),
    ("text", "Opération du genou programmée"),
    ("text", "oui"),
    ("press", "a:care.authorisation:oui"),
    ("text", "4500"),
    ("text", "maladie"),
    ("text", "Allemagne"),
    ("text", "oui"),
    ("text", "public"),
    ("press", "a:stay.tariff:sejour"),
    ("text", "non"),
    ("press", "a:stay.stay_reason:soins"),
    ("text", "01/09/2020"),
    ("text", "10/09/2020"),
    ("text", "oui"),
    ("text", "02/09/2020"),
    ("text", "05/09/2020"),
]

# A posted worker in Morocco for more than 3 months (DOC-04, LIM-07).
DETACHMENT_MOROCCO: list[Step] = [
    *BEGIN,
    ("text", "francaise"),
    ("text", "salarié"),
    ("text", "Karim"),
    ("text", "30/01/1988"),
    ("text", "Fièvre et infection, consultation"),
    ("text", "non"),
    ("text", "95,00"),
    ("text", "maladie"),
    ("text", "maroc"),
    ("press", "a:stay.stay_reason:detachement"),
    ("press", "a:stay.detachment_length:long"),
    ("text", "01/03/2020"),
    ("text", "30/09/2020"),
    ("text", "non"),
]

# From the documents step to the end: no file, continue, tick both boxes, validate.
FINISH_WITHOUT_FILES: list[Step] = [
    ("press", "nav:docs_done"),
    ("press", "nav:docs_continue"),
    ("press", "crt:originals:oui"),
    ("press", "crt:accuracy:oui"),
    ("press", "nav:validate"),
]
