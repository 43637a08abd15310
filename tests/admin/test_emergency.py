"""Emergency plans in the tenant admin: written through the services, versions moved by
actions through their lifecycle (four eyes kept), every page opens."""

from django_tenants.utils import schema_context

from apps.emergency.models import Plan, Scenario
from tests.admin.conftest import field_errors, page_messages
from tests.admin.test_labels import UUID_RE
from tests.emergency.conftest import level, make_plan, org_people


def test_a_plan_added_in_the_admin_goes_through_the_service(pages, in_a):
    with schema_context(in_a.a.schema_name):
        scenario = Scenario.objects.get(code="fraud_wave")
    data = pages.form_data(
        "emergency/plan/add/",
        code=" Card-Fraud ",
        name="Card fraud",
        scenario=scenario.pk,
        review_cycle_months=6,
        drill_cadence_months=3,
    )
    response = pages.post("emergency/plan/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        plan = Plan.objects.get(code="card_fraud")  # normalised by the service
        assert [(v.number, v.status) for v in plan.versions.all()] == [(1, "draft")]


def test_a_refused_plan_shows_the_service_reason_on_the_field(pages, in_a):
    with schema_context(in_a.a.schema_name):
        scenario = Scenario.objects.get(code="fraud_wave")
    data = pages.form_data(
        "emergency/plan/add/",
        code="again",
        name="Again",
        scenario=scenario.pk,
        review_cycle_months=61,
        drill_cadence_months=12,
    )
    response = pages.post("emergency/plan/add/", data)
    assert response.status_code == 200
    assert field_errors(response, "review_cycle_months") == ["Between 1 and 60 months."]
    with schema_context(in_a.a.schema_name):
        assert not Plan.objects.filter(code="again").exists()


def test_approve_action_keeps_four_eyes(pages, in_a, world):
    from apps.emergency.services import plans

    admin = world.user("a", "admin")
    with schema_context(in_a.a.schema_name):
        plan = make_plan(world, org_people(world), approve=False)  # written by the analyst
        version = plan.versions.get()
        plans.version_transition(version_id=version.pk, to="in_review")
    approve = {"action": "approve", "_selected_action": [str(version.pk)]}
    response = pages.post("emergency/planversion/", approve, follow=True)
    assert "1 plan version approved." in page_messages(response)
    with schema_context(in_a.a.schema_name):
        version.refresh_from_db()
        assert (version.status, version.approved_by_id) == ("approved", admin.pk)
        own = plans.version_new_draft(plan_id=plan.pk, actor=admin)
        plans.version_transition(version_id=own.pk, to="in_review")
    approve["_selected_action"] = [str(own.pk)]
    response = pages.post("emergency/planversion/", approve, follow=True)
    assert "outage v2 (In review): Someone other than the author approves." in page_messages(
        response
    )


def test_every_emergency_page_opens_without_raw_ids(pages, in_a, world):
    from apps.emergency.services import activations, drills

    with schema_context(in_a.a.schema_name):
        plan = make_plan(world, org_people(world))
        activations.activation_declare(plan_id=plan.pk, level_id=level("II").pk)
        drills.drill_schedule(plan_id=plan.pk, scheduled_on=plan.review_due_on)
        objects = [
            plan,
            plan.versions.get(),
            plan.activations.get(),
            plan.drills.get(),
            plan.scenario,
            level("II"),
        ]
    for obj in objects:
        page = pages.get(pages.change(obj))
        assert page.status_code == 200, obj._meta.model_name
        assert not UUID_RE.search(page.context["title"] + str(page.context["original"]))
        listing = pages.get(f"emergency/{obj._meta.model_name}/")
        assert listing.status_code == 200
