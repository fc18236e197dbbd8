"""Corrections: facts an analyst adds, removes or sets by hand, kept in ``corrections.csv`` beside
the documents and applied at every build, each with who made it, when and why.

``corrections.py`` reads the file (before spaCy is loaded: a bad line fails fast), ``values.py``
resolves a value to what a fact holds, ``apply.py`` applies the corrections to the extracted facts,
``command.py`` is ``socieux-kg correct``.
"""
