"""Step 3 « Modalités du séjour » (FRM-08…FRM-11; tariff and partial refund: ZON-04, ZON-08)."""

from states.questions import Kind, Question, Step

STEP = Step(
    id="stay",
    number=3,
    questions=(
        Question("stay.country", Kind.COUNTRY),
        Question("stay.tariff", Kind.CHOICE, choices="tariff", when="in_zone"),
        Question("stay.partial_refund", Kind.CHOICE, choices="yes_no", when="in_zone"),
        # Not on the form: advice for next time and the private-sector tariff (EU-04, ZON-11).
        Question("stay.ceam", Kind.CHOICE, choices="ceam", when="in_zone", in_recap=False),
        Question("stay.sector", Kind.CHOICE, choices="sector", when="eu_eee_ch",
                 in_recap=False),
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
