"""The reputation admin writes through the services: a complaint gets its due times and a
refusal is shown on its field; complaints move with the list's actions."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.reputation.models import Complaint
from tests.admin.conftest import field_errors
from tests.admin.conftest import pages as pages  # the admin's fixture, used here too


def _form(pages, **changes):
    received = timezone.now() - timedelta(hours=1)
    return pages.form_data(
        "reputation/complaint/add/",
        **{
            "reference": "ADM-1",
            "channel": "hotline",
            "category": "fees",
            "priority": "urgent",
            "summary": "Charged twice.",
            "received_at_0": received.strftime("%Y-%m-%d"),
            "received_at_1": received.strftime("%H:%M:%S"),
            **changes,
        },
    )


def test_a_complaint_added_in_the_admin_gets_its_due_times(pages, in_a):
    response = pages.post("reputation/complaint/add/", _form(pages))
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        complaint = Complaint.objects.get()
        assert complaint.response_due_at - complaint.received_at == timedelta(hours=2)
        assert complaint.status == "received"


def test_a_raw_phone_number_is_refused_on_its_field(pages, in_a):
    response = pages.post("reputation/complaint/add/", _form(pages, customer_ref="13812345678"))
    assert response.status_code == 200
    assert field_errors(response, "customer_ref") == [
        "This looks like a phone or identity-card number: store a pseudonymised reference."
    ]
    with schema_context(in_a.a.schema_name):
        assert not Complaint.objects.exists()


def test_complaints_are_resolved_from_the_list(pages, in_a):
    from apps.reputation.services.complaints import complaint_create

    with schema_context(in_a.a.schema_name):
        made = complaint_create(reference="L1", channel="online", category="fees", summary="s")
    response = pages.post(
        "reputation/complaint/",
        {"action": "resolve", "_selected_action": [str(made.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    with schema_context(in_a.a.schema_name):
        made.refresh_from_db()
        assert made.status == "resolved" and made.resolved_at is not None


def test_the_mention_list_shows_an_excerpt_and_a_rounded_score(pages, in_a):
    from apps.reputation.models import Mention
    from apps.reputation.services.ingestion import MentionIn, ingest
    from apps.reputation.services.sources import source_create

    said = "Withdrawal   frozen\nfor three days, support says wait. " + "Still nothing. " * 10
    with schema_context(in_a.a.schema_name):
        source_create(code="weibo_brand", name="Weibo", channel="weibo")
        ingest([MentionIn("weibo_brand", "1", timezone.now() - timedelta(hours=1), said)])
        Mention.objects.update(sentiment_score=-0.7345678912345678, sentiment_label="negative")
    page = pages.get("reputation/mention/").content.decode()
    # 79 characters (53 + 15 + 11) of the text on one line, then an ellipsis.
    assert (
        "Withdrawal frozen for three days, support says wait. Still nothing. Still nothi…" in page
    )
    assert "-0.73" in page and "0.7345678912345678" not in page


def test_a_topic_added_in_the_admin_links_its_categories_and_asks_for_a_job(pages, in_a):
    from apps.core.models import Job
    from apps.reputation.models import Topic
    from apps.risks.selectors import category_ids

    with schema_context(in_a.a.schema_name):
        reputational = str(category_ids(["reputational"])["reputational"])
    data = pages.form_data(
        "reputation/topic/add/",
        code="app_store",
        name="App store",
        keywords_zh="下架,应用商店",
        keywords_en="delisted",
        risk_categories=[reputational],
        active="on",
    )
    response = pages.post("reputation/topic/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        topic = Topic.objects.get(code="app_store")
        assert topic.keywords_zh == ["下架", "应用商店"]
        assert list(topic.risk_categories.values_list("code", flat=True)) == ["reputational"]
        assert Job.objects.filter(kind="reputation_topics").count() == 1
    # An English keyword in the Chinese list is refused on its field; nothing is written.
    data = pages.form_data(
        "reputation/topic/add/", code="other", name="Other", keywords_zh="fees", active="on"
    )
    response = pages.post("reputation/topic/add/", data)
    assert response.status_code == 200
    assert field_errors(response, "keywords_zh") == [
        "'fees' has no Chinese character: list it in English."
    ]
    with schema_context(in_a.a.schema_name):
        assert not Topic.objects.filter(code="other").exists()


def test_a_brand_metric_out_of_range_is_refused_on_its_field(pages, in_a):
    from apps.reputation.models import BrandMetric

    data = pages.form_data(
        "reputation/brandmetric/add/",
        metric="awareness",
        source="survey",
        period_start="2026-01-01",
        period_end="2026-03-31",
        value="-50",  # within the table's −100..100 (NPS), not for a percentage
    )
    response = pages.post("reputation/brandmetric/add/", data)
    assert response.status_code == 200
    assert field_errors(response, "value") == ["From 0 to 100 for this metric."]
    with schema_context(in_a.a.schema_name):
        assert not BrandMetric.objects.exists()
    response = pages.post("reputation/brandmetric/add/", {**data, "value": "62.5"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        assert BrandMetric.objects.get().value == 62.5
