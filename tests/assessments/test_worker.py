"""A scorecard development run end to end through a real Celery worker (the heavy queue):
queued, running with progress, then stored with its scorecard version — and its job row says
so. The data is committed (the worker is another process) and removed afterwards."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django_tenants.utils import schema_context

from apps.assessments.models import AssessmentRun, Dataset, DatasetVersion, Scorecard
from apps.assessments.services.datasets import dataset_version_from_arrays
from apps.assessments.services.runs import run_create
from apps.core.models import Job
from tests.assessments.conftest import loan_book_arrays
from tests.kit.worker import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def committed_book(django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context("tenant_a"):
            version = dataset_version_from_arrays(
                arrays=loan_book_arrays(), name="worker book", kind="loan_book"
            )
        yield version
        with schema_context("tenant_a"):
            runs = list(AssessmentRun.objects.filter(loan_book=version))
            cards = list(Scorecard.objects.filter(run__in=runs).values_list("pk", flat=True))
            made = [version.pk, version.dataset_id, *cards, *(r.pk for r in runs)]
            Scorecard.objects.filter(pk__in=cards).delete()
            Job.objects.filter(pk__in=[r.job_id for r in runs]).delete()
            AssessmentRun.objects.filter(pk__in=[r.pk for r in runs]).delete()
            DatasetVersion.objects.filter(pk=version.pk).delete()
            Dataset.objects.filter(pk=version.dataset_id).delete()
            LogEntry.objects.filter(object_pk__in=[str(pk) for pk in made]).delete()
        connection.set_schema_to_public()


def test_a_run_goes_through_the_worker(worker, django_db_blocker, committed_book):
    with django_db_blocker.unblock():
        with schema_context("tenant_a"):
            # run_create commits on return: its job is sent then, carrying tenant_a's schema
            run = run_create(kind="scorecard_development", loan_book=committed_book.pk, seed=5)

        def finished() -> bool:  # the job ends just after the run's results are committed
            with schema_context("tenant_a"):
                return Job.objects.get(pk=run.job_id).status in ("succeeded", "failed")

        assert wait_for(finished), "the worker did not finish the run"
        with schema_context("tenant_a"):
            run.refresh_from_db()
            job = Job.objects.get(pk=run.job_id)
            assert run.status == "succeeded", run.error
            assert (job.status, job.progress, job.attempts) == ("succeeded", 100, 1)
            assert job.result["run"] == str(run.pk) and job.input == {}  # input dropped
            assert run.started_at <= run.finished_at
            card = Scorecard.objects.get(run=run)
            assert card.version == 1 and len(card.specification["grades"]) == 5
            assert run.figures.filter(code="auc", segment="validation").exists()
        connection.set_schema_to_public()
