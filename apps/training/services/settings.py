from apps.training.models import TrainingSettings
from apps.training.selectors import training_settings
from apps.training.services.common import Problems


def settings_update(*, due_soon_days: int, actor=None) -> TrainingSettings:
    problems = Problems()
    if not 1 <= due_soon_days <= 365:
        problems.add("due_soon_days", "Between 1 and 365 days.")
    problems.raise_any()
    settings = training_settings()
    settings.due_soon_days = due_soon_days
    settings.save()
    return settings
