from apps.training.models import TrainingSettings
from apps.training.selectors import training_settings
from apps.training.services.common import Problems

MAX_REMINDERS = 6


def settings_update(
    *, due_soon_days: int | None = None, reminder_days: list[int] | None = None, actor=None
) -> TrainingSettings:
    """Change what is given. Reminder offsets: 1–365 days each, at most MAX_REMINDERS."""
    problems = Problems()
    if due_soon_days is not None and not 1 <= due_soon_days <= 365:
        problems.add("due_soon_days", "Between 1 and 365 days.")
    if reminder_days is not None:
        reminder_days = sorted({int(d) for d in reminder_days}, reverse=True)
        if any(not 1 <= d <= 365 for d in reminder_days):
            problems.add("reminder_days", "Each offset is between 1 and 365 days.")
        if len(reminder_days) > MAX_REMINDERS:
            problems.add("reminder_days", f"At most {MAX_REMINDERS} offsets.")
    problems.raise_any()
    settings = training_settings()
    if due_soon_days is not None:
        settings.due_soon_days = due_soon_days
    if reminder_days is not None:
        settings.reminder_days = reminder_days
    settings.save()
    return settings
