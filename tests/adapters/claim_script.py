"""The Pologne claim as a phone user plays it: taps, typed answers, photos and an album.

Shared by the in-process simulation and the end-to-end HTTP test, so both replay the same
conversation. Each step is ``(action, argument, expected part of the bot's answer)``.
"""

from __future__ import annotations

POLOGNE: tuple[tuple[str, str, str], ...] = (
    ("send", "/start", "Bonjour"),
    ("press", "J'accepte et je commence", "régime"),
    ("press", "Régime général", "nationalité"),
    ("press", "Française", "situation"),
    ("press", "Étudiant / Stagiaire", "prénom"),
    ("send", "NATHALIE", "date de naissance"),
    ("send", "07/10/1985", "raison des soins"),
    ("send", "Urgence médicale", "prévus avant le départ"),
    ("press", "Non", "frais médicaux"),
    ("send", "200,50", "liés à"),
    ("press", "Un accident causé par un tiers", "Date de l'accident"),
    ("send", "12/08/2020", "pays"),
    ("send", "POLOGNE", "CEAM"),
    ("press", "présentée", "secteur public ou privé"),
    ("press", "Public", "remboursement des frais"),
    ("press", "La tarification française", "remboursement partiel"),
    ("press", "Oui", "Étape 3/5"),
    ("press", "Tourisme", "début du séjour"),
    ("send", "22/09/2020", "fin du séjour"),
    ("send", "28/09/2020", "prescrite"),  # 2020 seen from today: a warning, not a block
    ("press", "Oui", "hospitalisation"),
    ("send", "26/09/2020", "date de fin"),
    ("send", "27/09/2020", "Étape 4/5"),
    ("photo", "1", "Document reçu"),
    ("press", "Facture", "Classé"),
    ("album", "2", "2 page(s)"),
    ("press", "Preuve de paiement", "Classé"),
    ("press", "J'ai tout envoyé", "Il manque encore"),
    ("press", "Continuer quand même", "Récapitulatif"),
    ("press", "Je déclare conserver les originaux", "Récapitulatif"),
    ("press", "Je certifie l'exactitude", "Récapitulatif"),
    ("press", "Valider", ""),
)
"""The whole claim; the last answer brings the PDFs."""

DOCUMENTS_STEP = next(i for i, step in enumerate(POLOGNE) if step[0] == "photo")
"""Index of the first step of « Document(s) »: where the HTTP test kills the bot."""
