"""Reads of the emergency module."""
