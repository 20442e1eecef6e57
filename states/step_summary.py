"""Step 5 « Récapitulatif »: the recap, then both certifications (CRT-01, CRT-02)."""

from states.questions import Step

STEP = Step(id="summary", number=5)
