"""Sentiment scorers: one interface, a registry in settings, models loaded once per process.

Pure Python (no ORM): services/scoring.py feeds texts in and writes the scores back.
"""
