"""Background entry points of the training module: the daily tick and large imports."""

from celery import shared_task

from apps.core.background import TenantOnlyTask


def daily_indicators_if_due() -> dict:
    """Tick handler `training.daily_indicators`: coverage observations, once a day."""
    from apps.training.services.indicators import daily_indicators_if_due as run

    return run()


@shared_task(name="training.import_file", base=TenantOnlyTask, bind=True)
def import_file(self, job_id: str) -> dict:
    """A large import, all or nothing as inline. The file leaves the job row when it is done."""
    from apps.training.services.import_submit import import_as_job

    return import_as_job(task=self, job_id=job_id)


def reminders_if_due() -> dict:
    """Tick handler `training.reminders`: due, expiry and overdue notices, once a day."""
    from apps.training.services.reminders import reminders_if_due as run

    return run()
