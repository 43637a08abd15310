"""`manage.py demo_setup` (what bin/dev runs): a demo a newcomer can use as printed."""

import io
import re

from django.core import mail
from django.core.management import call_command

from apps.accounts.models import ApiToken, User
from apps.accounts.tokens import authenticate_bearer
from apps.tenants.management.commands.demo_setup import demo_token
from apps.tenants.models import Domain

TOKEN = re.compile(r"fk_[A-Za-z0-9_-]{20,}")


def _run(token_file, port=8123) -> str:
    out = io.StringIO()
    call_command("demo_setup", port=port, token_file=str(token_file), stdout=out)
    return out.getvalue()


def test_a_demo_to_use_as_printed_with_the_same_token_on_every_run(
    db, client, tmp_path, django_capture_on_commit_callbacks
):
    # One full run (a tenant schema costs seconds): everything a newcomer reads in bin/dev.
    token_file = tmp_path / "demo-token"
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(token_file)
    assert "http://demo.localhost:8123/graphql/" in output
    assert "admin@demo.localhost" in output and "demo-Password-2026" in output
    assert "Host: demo.localhost" in output and "http://127.0.0.1:8123/graphql/" in output
    assert "login(input:" in output
    assert "invite" not in output.lower()
    # The demo admin's password is set: an invite code (for inviteAccept) would be useless.
    bodies = [m.body for m in mail.outbox if "admin@demo.localhost" in m.to]
    assert bodies, "the admin is told they were added"
    assert not any("invite code" in body for body in bodies)
    assert not any(".." in body for body in bodies)  # "Demo Lending Co.." was printed before
    assert User.objects.get(email="admin@demo.localhost").check_password("demo-Password-2026")

    token = set(TOKEN.findall(output))
    assert len(token) == 1
    assert token_file.read_text().strip() == token.pop()
    again = _run(token_file)
    assert set(TOKEN.findall(again)) == {token_file.read_text().strip()}
    found = authenticate_bearer(token_file.read_text().strip())
    assert found.user.email == "admin@demo.localhost"
    assert found.tenant == Domain.objects.get(domain="demo.localhost").tenant

    # A frontend on a dev server's usual port may call the demo tenant from a browser.
    preflight = client.options(
        "/graphql/",
        HTTP_HOST="demo.localhost",
        HTTP_ORIGIN="http://localhost:5173",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight["Access-Control-Allow-Origin"] == "http://localhost:5173"


# The token rules on an existing tenant: a second demo tenant schema would cost seconds.


def test_a_revoked_demo_token_is_replaced(world, tmp_path):
    admin, path = world.user("a", "admin"), tmp_path / "demo-token"
    old, kept = demo_token(user=admin, tenant=world.a, path=path)
    assert not kept and path.read_text().strip() == old
    assert demo_token(user=admin, tenant=world.a, path=path) == (old, True)
    ApiToken.objects.filter(name="demo").update(revoked_at="2000-01-01T00:00Z")
    new, kept = demo_token(user=admin, tenant=world.a, path=path)
    assert not kept and new != old and path.read_text().strip() == new
    assert authenticate_bearer(new) is not None and authenticate_bearer(old) is None


def test_a_missing_token_file_gives_a_new_token_and_revokes_the_old(world, tmp_path):
    admin, path = world.user("a", "admin"), tmp_path / "demo-token"
    old, _ = demo_token(user=admin, tenant=world.a, path=path)
    path.unlink()
    new, kept = demo_token(user=admin, tenant=world.a, path=path)
    assert not kept and new != old
    assert authenticate_bearer(old) is None and authenticate_bearer(new) is not None
    assert path.stat().st_mode & 0o077 == 0  # a credential: readable by its owner only


def test_a_token_of_another_user_in_the_file_is_not_reused(world, tmp_path):
    path = tmp_path / "demo-token"
    theirs, _ = demo_token(user=world.user("a", "viewer"), tenant=world.a, path=path)
    mine, kept = demo_token(user=world.user("a", "admin"), tenant=world.a, path=path)
    assert not kept and mine != theirs


def test_the_demo_tenant_has_sample_data_in_every_module_once(db, tmp_path):
    """bin/dev's tenant is not empty: a frontend sees a register, live signals, an organisation
    and training statuses of every kind — and a second run adds nothing."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.assessments.models import AssessmentRun, DatasetVersion, Scorecard
    from apps.early_warning.models import Indicator, WarningSignal
    from apps.emergency.models import Plan
    from apps.people.models import Department, Person
    from apps.risks.models import Control, Risk, RiskAssessment, TreatmentAction
    from apps.training.models import TrainingRecord
    from apps.training.selectors.status import training_status

    output = _run(tmp_path / "demo-token")
    assert "Sample data added" in output

    def counts():
        return (
            Risk.objects.count(),
            RiskAssessment.objects.count(),
            Control.objects.count(),
            TreatmentAction.objects.count(),
            Indicator.objects.count(),
            WarningSignal.objects.count(),
            Department.objects.count(),
            Person.objects.count(),
            TrainingRecord.objects.count(),
            DatasetVersion.objects.count(),
            AssessmentRun.objects.count(),
            Scorecard.objects.count(),
            Plan.objects.filter(template=False).count(),
        )

    with schema_context("demo"):
        first = counts()
        # 7 risks rated twice, 5 controls, 2 actions; 3 KRIs, the 5 the assessment runs
        # publish (VaR 99 %, ES 97.5 %, backtest exceptions, portfolio PD, PSI) and the
        # reputation module's 6 (made for the emergency plan's trigger); 5 departments, 8 people
        # and the admin's own entry (the register's owner), 6 results; 3 datasets, 3 runs,
        # 1 fitted scorecard; one plan besides the seeded templates
        assert first[:5] == (7, 14, 5, 2, 14) and first[6:] == (5, 9, 6, 3, 3, 1, 1)
        # a 400-loan book, 5 positions, 300 days × 5 instruments of returns
        assert sorted(DatasetVersion.objects.values_list("dataset__kind", "row_count")) == [
            ("loan_book", 400),
            ("positions", 5),
            ("returns", 1500),
        ]
        runs = AssessmentRun.objects.select_related("job")
        assert sorted((r.kind, r.status, r.job.status) for r in runs) == [
            ("credit_scoring", "succeeded", "succeeded"),
            ("market_var", "succeeded", "succeeded"),
            ("scorecard_development", "succeeded", "succeeded"),
        ]
        scored = {f.code: f.value for f in runs.get(kind="credit_scoring").figures.all()}
        var = {f.code: f.value for f in runs.get(kind="market_var").figures.all()}
        assert scored["rows"] == 400 and var["backtest_days"] == 250  # the parameter given
        assert var["var_99"] > 0 and 0 < scored["portfolio_pd"] < 1
        assert list(Scorecard.objects.values_list("name", "version")) == [("cash_loan_2026", 1)]
        signals = {
            (s.indicator.code, s.rule.kind): s.severity
            for s in WarningSignal.objects.select_related("indicator", "rule")
        }
        # NPL drifts 2.40 → 4.76 % (red 4.5, the last three above it); complaints jump to 107
        # a day (amber 80, red 120) from a 40-52 rhythm; liquidity coverage stays above 150 %.
        assert signals == {
            ("npl_ratio", "threshold"): "red",
            ("npl_ratio", "sustained"): "red",
            ("complaints_daily", "threshold"): "amber",
            ("complaints_daily", "zscore"): "red",
        }
        npl = Indicator.objects.get(code="npl_ratio")
        assert [r.title for r in npl.risks.all()] == ["Rising delinquency in the cash-loan book"]

        numbers = dict(Person.objects.values_list("pk", "employee_number"))
        statuses = {
            (numbers[row.person_id], row.course_id): row.status
            for row in training_status(as_of=timezone.localdate())
        }
        from apps.emergency.models import Plan, PlanTrigger
        from apps.training.models import Course

        # One approved plan: the CRO (D0001) commands, a trigger on the negative-mention share.
        plan = Plan.objects.get(code="reputation_crisis")
        version = plan.versions.get(status="approved")
        commander = version.roles.get(role="commander")
        assert (commander.person.employee_number, commander.backup.employee_number) == (
            "D0001",
            "D0002",
        )
        assert version.steps.count() == 5
        (trigger,) = PlanTrigger.objects.filter(version=version).select_related(
            "indicator", "level"
        )
        assert (trigger.indicator.code, trigger.severity, trigger.level.code) == (
            "negative_mention_share",
            "red",
            "II",
        )

        af, cp = (Course.objects.get(code=c).pk for c in ("af_101", "cp_201"))
        # af_101 (12 months) for Risk, Credit and Operations with its Customer Service Centre;
        # cp_201 (24 months) for Operations. Completed 30/200/400/340 and 90/120 days ago.
        assert statuses == {
            ("D0001", af): "compliant",
            ("D0002", af): "compliant",
            ("D0003", af): "expired",
            ("D0004", af): "due_soon",  # hired 45 days ago, due 30 days after the requirement
            ("D0005", af): "due_soon",
            ("D0006", af): "due_soon",  # expires in 25 days
            ("D0007", af): "due_soon",
            ("D0005", cp): "compliant",
            ("D0006", cp): "compliant",
            ("D0007", cp): "due_soon",
        }

    again = _run(tmp_path / "demo-token")
    assert "Sample data added" not in again
    with schema_context("demo"):
        assert counts() == first
