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
