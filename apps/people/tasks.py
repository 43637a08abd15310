"""Background work of the directory: large HR-sync imports."""

from celery import shared_task

from apps.core.background import TenantOnlyTask


@shared_task(name="people.import_file", base=TenantOnlyTask, bind=True)
def import_file(self, job_id: str) -> dict:
    """A large import, all or nothing as inline. The file leaves the job row when it is done."""
    from apps.people.services.importing import import_as_job

    return import_as_job(task=self, job_id=job_id)
