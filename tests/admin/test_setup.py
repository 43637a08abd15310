"""The register's and early warning's set-up in the tenant admin: appetite, limits and settings
through their services; reviews and residual proposals applied from the risk list."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.early_warning import selectors as warning_selectors
from apps.risks import selectors
from apps.risks.models import RegisterSettings, Risk, RiskCategory, RiskLimit
from apps.risks.services import assessments, register, reviews
from tests.admin.conftest import field_errors, page_messages


def test_an_appetite_set_in_the_admin_flags_the_risks_above_it(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(title="Big loans", category_id=credit.pk, status="open")
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=5)
    add = "risks/riskappetite/add/"
    response = pages.post(add, pages.form_data(add, category=credit.pk, max_level="low"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        risk.refresh_from_db()
        assert risk.above_appetite  # the service re-flags the register
        appetite = credit.appetite
    response = pages.post(
        pages.change(appetite), pages.form_data(pages.change(appetite), max_level="critical")
    )
    assert response.status_code == 302
    with schema_context(in_a.a.schema_name):
        risk.refresh_from_db()
        assert not risk.above_appetite


def test_a_limit_refused_by_the_service_shows_why_on_the_field(pages, in_a):
    add = "risks/risklimit/add/"
    response = pages.post(add, pages.form_data(add, name="NPL book", cap="10", warning_ratio="1.5"))
    assert field_errors(response, "warning_ratio") == ["Between 0 and 1."]
    with schema_context(in_a.a.schema_name):
        assert not RiskLimit.objects.exists()
    response = pages.post(add, pages.form_data(add, name=" NPL book ", cap="1000000"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        assert RiskLimit.objects.get().name == "NPL book"


def test_settings_change_through_their_services(pages, in_a):
    settings = selectors.register_settings()
    data = pages.form_data(pages.change(settings), review_cadence_days='{"low": 5}')
    response = pages.post(pages.change(settings), data)
    assert field_errors(response, "review_cadence_days") == [
        "Give 1 to 3650 days for each of low, medium, high, critical."
    ]
    data = pages.form_data(pages.change(settings), acceptance_max_days="90")
    assert pages.post(pages.change(settings), data).status_code == 302
    with schema_context(in_a.a.schema_name):
        assert RegisterSettings.objects.get().acceptance_max_days == 90
    warning = warning_selectors.warning_settings()  # a worker test may have made it already
    data = pages.form_data(pages.change(warning), escalate_red_after_minutes="99999")
    response = pages.post(pages.change(warning), data)
    assert field_errors(response, "escalate_red_after_minutes") == ["1 minute to 7 days."]
    assert pages.get("risks/registersettings/add/").status_code == 403


def test_overdue_risks_are_reviewed_from_the_list(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(title="Stale", category_id=credit.pk, status="open")
    reviews.review_record(risk_id=risk.pk, reviewed_at=timezone.now() - timedelta(days=800))
    assert Risk.objects.filter(selectors.overdue_filter()).count() == 1
    response = pages.post(
        "risks/risk/", {"action": "record_review", "_selected_action": [risk.pk]}, follow=True
    )
    assert "1 risk reviewed." in page_messages(response)
    with schema_context(in_a.a.schema_name):
        assert not Risk.objects.filter(selectors.overdue_filter()).exists()
        assert risk.reviews.count() == 2


def test_applying_a_residual_proposal_to_an_unassessed_risk_is_refused(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(title="Unrated", category_id=credit.pk)
    response = pages.post(
        "risks/risk/", {"action": "apply_residual", "_selected_action": [risk.pk]}, follow=True
    )
    assert "Unrated: Assess the inherent risk first." in page_messages(response)
