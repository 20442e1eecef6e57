"""Run the documents benchmark: ``python -m bench`` is ``python -m bench.documents``."""

from bench.documents import main

main()
