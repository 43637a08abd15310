"""End to end with a real worker: mentions ingested → the scoring job on the sentiment queue →
the day's observations → a scan → a warning signal."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.models import Job
from apps.early_warning.models import Indicator, WarningSignal
from apps.reputation.models import Mention, ReputationDay, Source, Story
from apps.reputation.services.index import SEEDED
from apps.reputation.services.ingestion import MentionIn, mentions_ingest
from apps.reputation.services.sources import source_create
from tests.kit.worker import wait_for

pytestmark = pytest.mark.worker
SCHEMA = "tenant_b"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        Mention.objects.all().delete()
        Story.objects.all().delete()
        Source.objects.all().delete()
        ReputationDay.objects.all().delete()
        Indicator.objects.filter(code__in=SEEDED).delete()
        Job.objects.filter(kind__in=["reputation_score", "warning_scan"]).delete()
    connection.set_schema_to_public()


def test_a_spike_of_negative_mentions_raises_a_signal(worker, committed, django_db_blocker):
    with django_db_blocker.unblock(), schema_context(SCHEMA):
        source_create(code="app_reviews", name="App reviews", channel="app_store")
        published = timezone.now() - timedelta(minutes=30)
        done = mentions_ingest(
            [
                MentionIn("app_reviews", f"r{i}", published, f"My account is frozen ({i})")
                for i in range(10)
            ]
            + [MentionIn("app_reviews", "ok", published, "What are your opening hours")]
        )
        assert done.created == 11 and done.scoring_job is not None
        job_id = done.scoring_job.pk

        def finished() -> bool:
            return Job.objects.get(pk=job_id).status in ("succeeded", "failed")

        assert wait_for(finished), "the scoring job never finished"
        job = Job.objects.get(pk=job_id)
        assert job.status == "succeeded", job.error
        assert job.result["scored"] == 11 and job.result["by_scorer"] == {"vader 3.3.2": 11}
        labels = sorted(Mention.objects.values_list("sentiment_label", flat=True))
        assert labels == ["negative"] * 10 + ["neutral"]

        def signal_raised() -> bool:
            return WarningSignal.objects.filter(
                indicator__code="negative_mention_share", severity="red"
            ).exists()

        assert wait_for(signal_raised), "the scan after scoring raised no signal"
        signal = WarningSignal.objects.get(indicator__code="negative_mention_share")
        assert signal.observed_value == pytest.approx(100 * 10 / 11, abs=1e-3)
