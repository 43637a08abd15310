"""The tenant admin's home page says what needs attention, with counts that link to exactly
those rows."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core import services as jobs
from apps.core.module import JOB_DIAGNOSTICS
from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from apps.risks.models import AcceptanceStatus, RiskAcceptance, RiskCategory, RiskStatus
from apps.risks.services import acceptance, assessments, register, reviews
from tests.admin.conftest import page_messages
from tests.early_warning.conftest import T0, feed


def _risk(title: str, status: str = RiskStatus.OPEN):
    credit = RiskCategory.objects.get(code="credit")
    return register.risk_create(title=title, category_id=credit.pk, status=status)


def _craft(world) -> None:
    """2 live red signals and 1 amber; 2 risks overdue for review (plus a closed one, which is
    not); 1 acceptance waiting (plus a rejected one); 1 job running and 1 queued (plus a done one)."""
    credit = RiskCategory.objects.get(code="credit")
    for code, last in (("npl_ratio", 7), ("dpd30_ratio", 8), ("churn", 4)):
        indicator = indicators.indicator_save(
            code=code, name=code, category_id=credit.pk, amber=3.0, red=5.0
        )
        indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
        feed(code, [1, last])
        scan(indicator_ids=[indicator.pk], now=T0 + timedelta(days=30))
    long_ago = timezone.now() - timedelta(days=800)  # past any review cadence
    for title, status in (("Late A", "open"), ("Late B", "draft"), ("Late C", "open")):
        risk = _risk(title, status)
        reviews.review_record(risk_id=risk.pk, reviewed_at=long_ago)
    register.risk_transition(risk_id=risk.pk, to=RiskStatus.CLOSED)
    manager = world.user("a", "risk_manager")
    for title in ("Accept me", "Rejected"):
        risk = _risk(title)
        assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=2, impact=2)
        asked = acceptance.acceptance_request(
            risk_id=risk.pk,
            actor=manager,
            justification="Small and known.",
            expires_on=timezone.localdate() + timedelta(days=30),
        )
    acceptance.acceptance_decide(
        acceptance_id=asked.pk, actor=world.user("a", "admin"), actor_role="admin", approve=False
    )
    running, _queued, done = (jobs.job_create(kind=JOB_DIAGNOSTICS) for _ in range(3))
    jobs.job_start(job_id=running.pk)
    jobs.job_start(job_id=done.pk)
    jobs.job_succeed(job_id=done.pk)


def test_the_home_page_counts_what_needs_attention_and_links_to_it(pages, in_a, world):
    _craft(world)
    home = pages.get("")
    assert home.status_code == 200
    items = {item["label"]: item for item in home.context["attention"]}
    counts = {label: item["count"] for label, item in items.items()}
    assert counts == {
        "Red signals not yet resolved": 2,
        "Risks overdue for review": 2,
        "Acceptances waiting for a decision": 1,
        "Jobs queued or running": 2,
    }
    text = home.content.decode()
    for item in items.values():
        assert item["url"].replace("&", "&amp;") in text
        listing = pages.client.get(item["url"], HTTP_HOST=home.wsgi_request.get_host())
        assert listing.status_code == 200
        assert listing.context["cl"].result_count == item["count"], item["label"]


def test_an_acceptance_is_decided_from_the_list(pages, in_a, world):
    _craft(world)
    waiting = RiskAcceptance.objects.get(status=AcceptanceStatus.REQUESTED)
    response = pages.post(
        "risks/riskacceptance/",
        {"action": "approve", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "1 risk acceptance approved." in page_messages(response)
    with schema_context(world.a.schema_name):
        waiting.refresh_from_db()
        assert waiting.status == AcceptanceStatus.APPROVED
        assert waiting.risk.status == RiskStatus.ACCEPTED
