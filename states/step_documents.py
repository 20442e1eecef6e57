"""Step 4 « Document(s) »: files are collected in one state, not asked one by one."""

from states.questions import Step

STEP = Step(id="documents", number=4)
