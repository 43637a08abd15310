"""The tenant's early-warning settings, and one bucket of a chart."""

from datetime import datetime

import strawberry
import strawberry_django

from apps.early_warning import models as m


@strawberry.type(name="SeriesPoint", description="One bucket of a chart.")
class SeriesPointType:
    at: datetime = strawberry.field(description="The bucket's start.")
    value: float = strawberry.field(description="Its points, aggregated.")


@strawberry_django.type(
    m.WarningSettings, name="WarningSettings", description="The tenant's early-warning rules."
)
class WarningSettingsType:
    escalate_red_after_minutes: int = strawberry_django.field(
        description="An unacknowledged red signal escalates after this many minutes."
    )
