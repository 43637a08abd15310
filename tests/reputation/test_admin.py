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
