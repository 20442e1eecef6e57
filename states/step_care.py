"""Step 2 « Bénéficiaire et soins » (FRM-03…FRM-07)."""

from states.questions import Kind, Question, Step

STEP = Step(
    id="care",
    number=2,
    questions=(
        Question("care.beneficiary_name", Kind.NAME),
        Question("care.beneficiary_birth_date", Kind.DATE),
        Question("care.care_context", Kind.CONTEXT),
        Question("care.scheduled", Kind.CHOICE, choices="yes_no"),
        # Not on the form: tells the scheduled-care route apart (DOC-03, EU-07, ZON-10).
        Question("care.authorisation", Kind.CHOICE, choices="authorisation", when="scheduled",
                 in_recap=False),
        Question("care.amount", Kind.AMOUNT),
        Question("care.care_link", Kind.CHOICE, choices="care_link"),
        Question("care.accident_date", Kind.DATE, when="accident_by_third_party"),
    ),
)
