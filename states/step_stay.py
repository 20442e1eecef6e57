"""Step 3 « Modalités du séjour » (FRM-08…FRM-11; tariff and partial refund: ZON-04, ZON-08)."""

from states.questions import Kind, Question, Step

STEP = Step(
    id="stay",
    number=3,
    questions=(
        Question("stay.country", Kind.COUNTRY),
        # Not on the form, asked before the tariff because they inform its choice
        # (EU-04 advice for next time, ZON-11 private sector → French tariff).
        Question("stay.ceam", Kind.CHOICE, choices="ceam", when="in_zone", in_recap=False),
        Question("stay.sector", Kind.CHOICE, choices="sector", when="eu_eee_ch",
                 in_recap=False),
        Question("stay.tariff", Kind.CHOICE, choices="tariff", when="in_zone"),
        Question("stay.partial_refund", Kind.CHOICE, choices="yes_no", when="in_zone"),
        Question("stay.stay_reason", Kind.CHOICE, choices="stay_reason"),
        # Not on the form: which detachment document applies (DOC-04).
        Question("stay.detachment_length", Kind.CHOICE, choices="detachment_length",
                 when="detachment", in_recap=False),
        Question("stay.stay_start", Kind.DATE),
        Question("stay.stay_end", Kind.DATE),
        Question("stay.hospitalised", Kind.CHOICE, choices="yes_no"),
        Question("stay.hospital_start", Kind.DATE, when="hospitalised"),
        Question("stay.hospital_end", Kind.DATE, when="hospitalised"),
    ),
)
