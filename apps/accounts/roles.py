from apps.core.choices import RankedChoices


class Role(RankedChoices):
    """A member's role in one tenant; each role can do everything the ones below it can."""

    VIEWER = "viewer", "Viewer"
    ANALYST = "analyst", "Analyst"
    RISK_MANAGER = "risk_manager", "Risk manager"
    ADMIN = "admin", "Admin"
