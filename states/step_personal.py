"""Step 1 « Informations personnelles » (FRM-01, FRM-02), after the scheme check (LIM-05)."""

from states.questions import Kind, Question, Step

STEP = Step(
    id="personal",
    number=1,
    questions=(
        Question("personal.regime", Kind.CHOICE, choices="regime", in_recap=False),
        Question("personal.nationality", Kind.CHOICE, choices="nationality"),
        Question("personal.situation", Kind.CHOICE, choices="situation"),
    ),
)
