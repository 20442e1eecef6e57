"""The claim draft: every field of the online form, plus the bot's own routing answers.

Field names match the question ids of ``states/`` (``care.amount`` → ``amount``).
Choice fields hold choice ids from ``config/choices.toml``; ``country`` holds an ISO code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.countries import Country, Zone, country


class ReceiptRead(BaseModel):
    """What the receipt reader read on one file; ``confidence`` is its weakest value's."""

    amount: Decimal | None = None
    currency: str | None = None
    paid_on: date | None = None
    provider: str | None = None
    confidence: float = 0.0
    image_hash: str = ""


class DocumentRef(BaseModel):
    """A supporting document received and converted; its bytes live in storage."""

    id: str
    category: str | None = None
    filename: str = ""
    """The name of the file as sent (``bot.domain.filenames.shown_name``), for the user."""
    page_count: int = 1
    source_kind: str = ""
    pdf_size: int = 0
    # Read at the amount question (« Lire le montant sur mes factures »), one per file.
    readings: list[ReceiptRead] = Field(default_factory=list)


class ForeignAmount(BaseModel):
    """An amount typed in a foreign currency and the ECB rate that made the euros (DIS-04)."""

    amount: Decimal
    currency: str
    paid_on: date
    rate: Decimal
    rate_date: date
    eur: Decimal


class ClaimDraft(BaseModel):
    """What the user has answered so far; ``None`` means not answered yet."""

    model_config = ConfigDict(validate_assignment=True)

    # Step 1 « Informations personnelles » (FRM-01, FRM-02) and the scheme (LIM-04, LIM-05).
    regime: str | None = None
    nationality: str | None = None
    situation: str | None = None
    # Step 2 « Bénéficiaire et soins » (FRM-03…FRM-07).
    beneficiary_name: str | None = None
    beneficiary_birth_date: date | None = None
    care_context: str | None = None
    scheduled: str | None = None
    authorisation: str | None = None
    amount: Decimal | None = None
    # Not on the form: how ``amount`` was made from a foreign amount, for the summary PDF.
    amount_foreign: ForeignAmount | None = None
    care_link: str | None = None
    accident_date: date | None = None
    # Step 3 « Modalités du séjour » (FRM-08…FRM-11, ZON-04).
    country: str | None = None
    tariff: str | None = None
    partial_refund: str | None = None
    ceam: str | None = None
    sector: str | None = None
    stay_reason: str | None = None
    detachment_length: str | None = None
    stay_start: date | None = None
    stay_end: date | None = None
    hospitalised: str | None = None
    hospital_start: date | None = None
    hospital_end: date | None = None
    # Step 4 « Document(s) ».
    documents: list[DocumentRef] = Field(default_factory=list)
    # Step 5 « Récapitulatif » (CRT-01, CRT-02): ticked by the user only.
    certified_originals: bool = False
    certified_accuracy: bool = False

    def value(self, field: str) -> Any:
        """Return the stored value of ``field``."""
        return getattr(self, field)

    def answered(self, field: str) -> bool:
        """Tell whether ``field`` has an answer."""
        return getattr(self, field) is not None

    @property
    def care_country(self) -> Country | None:
        """Return the country of care, if known."""
        return country(self.country) if self.country else None

    @property
    def zone(self) -> Zone | None:
        """Return the zone of the country of care, if known."""
        return self.care_country.zone if self.care_country else None

    def conversion(self) -> ForeignAmount | None:
        """Return the foreign amount the euros were converted from, if they still are."""
        foreign = self.amount_foreign
        return foreign if foreign is not None and foreign.eur == self.amount else None

    def categories_received(self) -> set[str]:
        """Return the categories of the documents received so far."""
        return {doc.category for doc in self.documents if doc.category}
