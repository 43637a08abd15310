from django.db import models


class RankedChoices(models.TextChoices):
    """A closed set whose members are listed from lowest to highest."""

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)
