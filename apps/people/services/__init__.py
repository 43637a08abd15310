"""Every write to the organisation: departments.py, people.py, importing.py (HR sync)."""
