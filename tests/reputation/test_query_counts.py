"""Each reputation list costs the same SQL for 10 rows as for 100, relations included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.reputation.services import brand, complaints, ingestion, lexicon, sources, topics
from tests.kit.sql import assert_pinned

CONNECTIONS = {
    "mentionSources": "{ mentionSources(first: PAGE) { totalCount edges { node { id code channel } } } }",
    "mentions": """{ mentions(first: PAGE) { totalCount edges { node {
  id text language sentimentLabel reach source { code channel } story { mentionCount totalReach } } } } }""",
    "stories": "{ stories(first: PAGE) { totalCount edges { node { id sampleText mentionCount totalReach } } } }",
    "sentimentLexicon": "{ sentimentLexicon(first: PAGE) { totalCount edges { node { id term weight } } } }",
    "complaints": """{ complaints(first: PAGE) { totalCount edges { node {
  id reference status responseDueAt regulatorReferred assignee { email } } } } }""",
    "mentionTopics": """{ mentionTopics(first: PAGE) { totalCount edges { node {
  id code keywordsZh riskCategories { code } } } } }""",
    "brandMetrics": """{ brandMetrics(first: PAGE) { totalCount edges { node {
  id metric value normalised } } } }""",
}
ROWS = 120  # past the largest page


@pytest.fixture
def seeded(world):
    analyst = world.user("a", "analyst")
    with schema_context(world.a.schema_name):
        for i in range(ROWS - 22):  # 22 terms are seeded
            lexicon.term_create(term=f"term{i}", weight=-0.1)
        for i in range(ROWS):
            sources.source_create(code=f"s{i:03}", name=f"S{i}", channel="forum")
        now = timezone.now()
        ingestion.ingest(
            [
                ingestion.MentionIn("s000", f"m{i}", now - timedelta(minutes=i), f"text {i}")
                for i in range(ROWS)
            ]
        )
        for i in range(ROWS):
            complaints.complaint_create(
                reference=f"c{i}",
                channel="online",
                category="fees",
                summary="Fees.",
                assignee_id=analyst.pk,
            )
        for i in range(ROWS - 7):  # 7 topics are seeded
            topics.topic_create(code=f"t{i}", name=f"T{i}", keywords_en=[f"word{i}"],
                                risk_categories=["reputational"])  # fmt: skip
        start = timezone.localdate() - timedelta(days=ROWS + 1)
        brand.brand_metrics_ingest(
            metrics=[
                {"metric": "nps", "source": "s", "period_start": start + timedelta(days=i),
                 "period_end": start + timedelta(days=i), "value": float(i % 100)}
                for i in range(ROWS)
            ]
        )  # fmt: skip
    connection.set_schema_to_public()


@pytest.mark.parametrize("field", CONNECTIONS)
def test_pinned_sql_count_for_10_and_100_rows(api, seeded, field):
    assert_pinned(api("a", "analyst"), field, CONNECTIONS[field])
