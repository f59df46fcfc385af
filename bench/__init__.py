"""Measured figures for the book (``make bench`` → ``_build/bench.json``).

Every module ``bench/<name>.py`` with a ``measure() -> dict`` function contributes its figures;
``python -m bench`` runs them all and writes the merged dictionary as JSON.
"""
