"""Plans and versions: the lifecycle table, immutability, one approved version, four eyes,
the review date, and the seeded templates."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.emergency.dates import add_months
from tests.emergency.conftest import make_plan


def codes(exc: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_the_version_lifecycle_is_this_table():
    from apps.emergency.services.plans import VERSION_LIFECYCLE

    expected = {
        "draft": {"in_review"},
        "in_review": {"draft", "approved"},
        "approved": {"retired"},
        "retired": set(),
    }
    assert {k: set(v) for k, v in VERSION_LIFECYCLE.table.items()} == expected


def test_an_approved_version_is_never_edited_and_a_new_draft_copies_it(world, org):
    from apps.emergency.services import plans

    plan = make_plan(world, org)
    approved = plan.versions.get()
    with pytest.raises(ValidationError) as refused:
        plans.version_update(version_id=approved.pk, objectives="Changed")
    assert codes(refused.value) == {"id": ["immutable"]}
    approved.refresh_from_db()
    assert approved.objectives == "" and approved.status == "approved"

    draft = plans.version_new_draft(plan_id=plan.pk, actor=world.user("a", "analyst"))
    assert (draft.number, draft.status) == (2, "draft")
    assert [s.action for s in draft.steps.order_by("position")] == [
        "Confirm the outage",
        "Switch to DR",
    ]
    assert sorted(draft.roles.values_list("role", flat=True)) == ["commander", "deputy"]
    with pytest.raises(ValidationError) as twice:
        plans.version_new_draft(plan_id=plan.pk)
    assert codes(twice.value) == {"plan_id": ["draft_exists"]}


def test_approving_a_new_version_retires_the_one_in_force(world, org):
    from apps.emergency.services import plans

    plan = make_plan(world, org)
    first = plan.versions.get()
    draft = plans.version_new_draft(plan_id=plan.pk, actor=world.user("a", "analyst"))
    plans.version_transition(version_id=draft.pk, to="in_review")
    plans.version_transition(
        version_id=draft.pk, to="approved", actor=world.user("a", "admin"), actor_role="admin"
    )
    first.refresh_from_db()
    assert first.status == "retired" and first.retired_at is not None
    assert list(plan.versions.filter(status="approved").values_list("number", flat=True)) == [2]


def test_the_database_holds_one_approved_version_per_plan(world, org):
    from apps.emergency.models import PlanVersion

    plan = make_plan(world, org)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(plan=plan, number=9, status="approved")


def test_the_author_and_an_analyst_cannot_approve(world, org):
    from apps.emergency.services import plans

    plan = make_plan(world, org, approve=False)
    version = plan.versions.get()
    author = world.user("a", "analyst")
    plans.version_transition(version_id=version.pk, to="in_review", actor=author)
    with pytest.raises(ValidationError) as by_analyst:
        plans.version_transition(
            version_id=version.pk,
            to="approved",
            actor=world.user("a", "viewer"),
            actor_role="analyst",
        )
    assert codes(by_analyst.value) == {"to": ["not_allowed"]}
    # The author is promoted to risk manager: still not their own approval.
    with pytest.raises(ValidationError) as by_author:
        plans.version_transition(
            version_id=version.pk, to="approved", actor=author, actor_role="risk_manager"
        )
    assert codes(by_author.value) == {"to": ["self_approval"]}
    version.refresh_from_db()
    assert version.status == "in_review" and version.approved_by_id is None


def test_a_version_without_a_commander_cannot_go_to_review(world, org):
    from apps.emergency.services import plans

    plan = make_plan(world, org, approve=False)
    version = plan.versions.get()
    plans.version_update(version_id=version.pk, roles=[])
    with pytest.raises(ValidationError) as refused:
        plans.version_transition(version_id=version.pk, to="in_review")
    assert codes(refused.value) == {"to": ["incomplete"]}


def test_approval_sets_the_review_date_from_the_cycle(world, org):
    plan = make_plan(world, org)
    # The cycle is 12 months (the default): a year after the approval day.
    assert plan.review_due_on == add_months(timezone.localdate(), 12)


def test_a_step_depends_only_on_earlier_steps(world, org):
    from apps.emergency.services import plans

    plan = make_plan(world, org, approve=False)
    step = {
        "phase": "response",
        "action": "A",
        "responsible_role": "commander",
        "time_target_minutes": 10,
    }
    with pytest.raises(ValidationError) as refused:
        plans.version_update(
            version_id=plan.versions.get().pk, steps=[step, {**step, "depends_on": [2]}]
        )
    assert codes(refused.value) == {"steps.1.depends_on": ["invalid"]}
    assert plan.versions.get().steps.count() == 2  # the earlier content stays


def test_every_tenant_starts_with_scenarios_levels_and_template_drafts(in_a):
    from apps.emergency.models import Plan, Scenario, SeverityLevel

    assert list(SeverityLevel.objects.values_list("code", "rank", "regulator_report_hours")) == [
        ("I", 1, 2),
        ("II", 2, 4),
        ("III", 3, 24),
        ("IV", 4, None),
    ]
    assert Scenario.objects.filter(builtin=True).count() == 8
    templates = Plan.objects.filter(template=True).order_by("code")
    assert [p.code for p in templates] == [
        "template_data_leak",
        "template_fraud_wave",
        "template_liquidity_run",
        "template_reputation_crisis",
        "template_system_outage",
    ]
    for plan in templates:
        (version,) = plan.versions.all()
        assert version.status == "draft" and version.steps.count() >= 5
        assert version.strategies.count() == 4
