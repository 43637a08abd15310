from django.db import models


class Role(models.TextChoices):
    """A member's role in one tenant; each role can do everything the ones below it can."""

    VIEWER = "viewer", "Viewer"
    ANALYST = "analyst", "Analyst"
    RISK_MANAGER = "risk_manager", "Risk manager"
    ADMIN = "admin", "Admin"

    @classmethod
    def rank(cls, role: str) -> int:
        return list(cls.values).index(role)
