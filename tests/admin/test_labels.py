"""What a tenant admin reads: names instead of ids, labels written for people, no dead links."""

import re
from datetime import timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from apps.core import services as jobs
from apps.core.admin_site import tenant_admin_site
from apps.core.module import JOB_DIAGNOSTICS
from apps.early_warning.models import Rule, WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.ingestion import PointIn, ingest
from apps.early_warning.services.scans import scan
from apps.notifications import services as notifications
from apps.risks.models import RiskCategory
from apps.risks.services import acceptance, assessments, controls, register, reviews
from tests.admin.conftest import UUID_RE
from tests.early_warning.conftest import T0, feed

TAG_RE = re.compile(r"<[^>]+>")


def _one_of_everything(world) -> None:
    credit = RiskCategory.objects.get(code="credit")
    risk = register.risk_create(title="Late repayments", category_id=credit.pk, status="open")
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=4)
    reviews.review_record(risk_id=risk.pk, notes="Fine.")
    acceptance.acceptance_request(
        risk_id=risk.pk,
        actor=world.user("a", "risk_manager"),
        justification="Known.",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    control = controls.control_save(name="Four eyes", control_type="preventive", kind="audit")
    controls.action_create(risk_id=risk.pk, title="Tighten limits", control_id=control.pk)
    indicator = indicators.indicator_save(
        code="npl_ratio", name="NPL ratio", category_id=credit.pk, amber=1 / 3, red=5.0
    )
    indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
    feed("npl_ratio", [0.1, 7.123456789])
    ingest([PointIn("npl_ratio", T0, 0.5, {"region": "north"})])
    scan(indicator_ids=[indicator.pk], now=T0 + timedelta(days=30))
    notifications.webhook_create(name="Ops", url="https://hooks.example.com/ops")
    notifications.publish(event="risks.review_overdue", payload={"risk": "late"})
    jobs.job_create(kind=JOB_DIAGNOSTICS)


def visible_text(html: str) -> str:
    return TAG_RE.sub(" ", html)


def test_no_id_where_a_name_belongs(pages, in_a, world):
    _one_of_everything(world)
    for model, model_admin in tenant_admin_site._registry.items():
        for obj in model_admin.get_queryset(pages.get("").wsgi_request)[:20]:
            assert not UUID_RE.search(str(obj)), (model.__name__, str(obj))
        meta = model._meta
        listing = pages.get(f"{meta.app_label}/{meta.model_name}/")
        assert listing.status_code == 200, meta.model_name
        shown = visible_text(listing.content.decode())
        assert not UUID_RE.search(shown), (meta.model_name, UUID_RE.search(shown))


def test_readable_names_of_rules_signals_and_their_audit_entries(pages, in_a, world):
    _one_of_everything(world)
    rule = Rule.objects.get()
    signal = WarningSignal.objects.get(dimensions_key="")
    north = WarningSignal.objects.get(dimensions_key="region=north")
    assert str(rule) == "Threshold breach on NPL ratio"
    assert str(signal) == "Red signal on NPL ratio (Open)"
    assert str(north) == "Amber signal on NPL ratio [region=north] (Open)"
    assert LogEntry.objects.get_for_object(rule).get().object_repr == str(rule)


def test_labels_are_written_for_people(pages, in_a, world):
    _one_of_everything(world)
    home = pages.get("").content.decode()
    assert "Webhook deliveries" in home and "deliverys" not in home
    assert "View site" not in home  # the tenant host has no site to view
    risk_page = pages.get(pages.change(register.Risk.objects.get())).content.decode()
    assert "residualApplyProposal" not in risk_page
    assert "waiting for a risk manager to apply it" in risk_page
    indicators_page = visible_text(pages.get("early_warning/indicator/").content.decode())
    assert "0.3333" in indicators_page and "0.333333" not in indicators_page
    signals_page = visible_text(pages.get("early_warning/warningsignal/").content.decode())
    assert "7.123" in signals_page and "7.1234" not in signals_page


def test_a_read_only_page_goes_back_to_the_list_rather_than_closing(pages, in_a, world):
    _one_of_everything(world)
    entry = LogEntry.objects.first()
    page = pages.get(f"auditlog/logentry/{entry.pk}/change/").content.decode()
    assert "Back to list" in page and ">Close<" not in page
    signal = WarningSignal.objects.first()
    page = pages.get(pages.change(signal)).content.decode()
    assert "Back to list" in page and ">Close<" not in page


def test_the_audit_log_filters_by_fengkong_records_only(pages, in_a, world):
    _one_of_everything(world)
    listing = pages.get("auditlog/logentry/")
    (record_filter,) = [
        spec for spec in listing.context["cl"].filter_specs if spec.title == "record type"
    ]
    labels = {label for _, label in record_filter.lookup_choices}
    assert {"Risk", "Indicator", "Webhook"} <= labels
    assert not labels & {"Session", "Permission", "Content type", "Log entry", "Group"}
    risk_type = next(pk for pk, label in record_filter.lookup_choices if label == "Risk")
    risks_only = pages.get("auditlog/logentry/", content_type=risk_type)
    assert {e.content_type.model for e in risks_only.context["cl"].result_list} == {"risk"}


def test_an_audit_entry_says_what_changed_by_name(pages, in_a, world):
    credit = RiskCategory.objects.get(code="credit")
    fraud = RiskCategory.objects.get(code="fraud")
    risk = register.risk_create(title="Mule accounts", category_id=credit.pk)
    register.risk_update(risk_id=risk.pk, category_id=fraud.pk, title="Mule accounts (cards)")
    entry = LogEntry.objects.get_for_object(risk).filter(action=LogEntry.Action.UPDATE).get()
    page = visible_text(pages.get(f"auditlog/logentry/{entry.pk}/change/").content.decode())
    assert "Category: Credit risk (credit) → Fraud risk (fraud)" in page
    assert "Title: Mule accounts → Mule accounts (cards)" in page
    assert not UUID_RE.search(page.split("What changed")[1])


def test_every_page_opens(pages, in_a, world):
    _one_of_everything(world)
    request = pages.get("").wsgi_request
    for model, model_admin in tenant_admin_site._registry.items():
        meta = model._meta
        obj = model_admin.get_queryset(request).first()
        if obj is not None:
            page = pages.get(pages.change(obj))
            assert page.status_code == 200, meta.model_name
            assert not UUID_RE.search(page.context["title"] + str(page.context["original"]))
        if model_admin.has_add_permission(request):
            assert pages.get(f"{meta.app_label}/{meta.model_name}/add/").status_code == 200
