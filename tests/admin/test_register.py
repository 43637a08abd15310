"""Risks, controls, treatment actions and categories edited in the tenant admin go through the
register's services: a valid edit is the service's (audited, with its side effects), a refused
one shows the service's reason on the field and changes nothing."""

from auditlog.models import LogEntry
from django_tenants.utils import schema_context

from apps.risks.models import (
    ActionStatus,
    Control,
    ControlEffectiveness,
    Risk,
    RiskCategory,
    RiskStatus,
    TreatmentAction,
)
from apps.risks.services import controls, register
from tests.admin.conftest import field_errors, page_messages


def make_risk(title="Late repayments", **fields) -> Risk:
    credit = RiskCategory.objects.get(code="credit")
    return register.risk_create(title=title, category_id=credit.pk, **fields)


def test_a_risk_added_in_the_admin_is_made_by_the_create_service(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    response = pages.post(
        "risks/risk/add/",
        pages.form_data(
            "risks/risk/add/",
            **{
                "title": "  Fraud ring  ",
                "category": credit.pk,
                "status": RiskStatus.OPEN,
                "source": "external",
                "tags": "Fraud, fraud ,cards",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        risk = Risk.objects.get()
        # The service's own work: title stripped, tags cleaned, a review date set.
        assert (risk.title, risk.tags, risk.status) == ("Fraud ring", ["cards", "fraud"], "open")
        assert risk.next_review_at is not None


def test_a_new_risk_that_the_service_refuses_shows_its_reason_on_the_field(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    response = pages.post(
        "risks/risk/add/",
        pages.form_data(
            "risks/risk/add/",
            **{
                "title": "Closed at birth",
                "category": credit.pk,
                "status": "closed",
                "source": "people",
            },
        ),
    )
    assert response.status_code == 200
    # "closed" is not offered for a new risk (the form), and the service would refuse it too.
    assert field_errors(response, "status")
    with schema_context(in_a.a.schema_name):
        assert not Risk.objects.exists()


def test_a_risk_edit_saves_through_the_update_service_and_is_audited(pages, in_a, world):
    risk = make_risk()
    data = pages.form_data(pages.change(risk), title="Late repayments (SME)", tags="sme, SME")
    response = pages.post(pages.change(risk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        risk.refresh_from_db()
        assert (risk.title, risk.tags) == ("Late repayments (SME)", ["sme"])
        entry = LogEntry.objects.get_for_object(risk).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.actor_id == world.user("a", "admin").pk
        assert "title" in entry.changes_dict


def test_a_refused_risk_edit_changes_nothing(pages, in_a):
    risk = make_risk()
    data = pages.form_data(pages.change(risk), title="   ")
    response = pages.post(pages.change(risk), data)
    assert response.status_code == 200
    assert field_errors(response, "title")
    with schema_context(in_a.a.schema_name):
        risk.refresh_from_db()
        assert risk.title == "Late repayments"


def test_status_is_not_edited_on_the_risk_page(pages, in_a):
    risk = make_risk()
    data = pages.form_data(pages.change(risk), status=RiskStatus.CLOSED)
    assert pages.post(pages.change(risk), data).status_code == 302
    with schema_context(in_a.a.schema_name):
        risk.refresh_from_db()
        assert risk.status == RiskStatus.DRAFT


def test_bulk_status_change_reports_each_refusal_and_does_the_rest(pages, in_a):
    draft = make_risk("Draft one")
    closed = make_risk("Already closed")
    register.risk_transition(risk_id=closed.pk, to=RiskStatus.CLOSED)
    response = pages.post(
        "risks/risk/",
        {"action": "start_treatment", "_selected_action": [draft.pk, closed.pk]},
        follow=True,
    )
    notes = page_messages(response)
    assert any("Draft one: A draft risk cannot become in_treatment." in note for note in notes), (
        notes
    )
    assert any(
        "Already closed: A closed risk cannot become in_treatment." in note for note in notes
    )
    response = pages.post(
        "risks/risk/",
        {"action": "make_open", "_selected_action": [draft.pk, closed.pk]},
        follow=True,
    )
    assert "2 risks opened." in page_messages(response)
    with schema_context(in_a.a.schema_name):
        assert set(Risk.objects.values_list("status", flat=True)) == {RiskStatus.OPEN}
        entry = LogEntry.objects.get_for_object(draft).filter(action=LogEntry.Action.UPDATE)
        assert entry.filter(changes__has_key="status").exists()


def test_a_control_edit_goes_through_the_service(pages, in_a):
    control = controls.control_save(name="Four eyes", control_type="preventive", kind="audit")
    risk = make_risk()
    data = pages.form_data(
        pages.change(control), effectiveness=ControlEffectiveness.EFFECTIVE, risks=[risk.pk]
    )
    response = pages.post(pages.change(control), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        control.refresh_from_db()
        assert control.effectiveness == ControlEffectiveness.EFFECTIVE
        assert control.effectiveness_changed_at is not None  # the service's bookkeeping
        assert list(control.risks.all()) == [risk]


def test_a_refused_control_edit_changes_nothing(pages, in_a, world):
    control = controls.control_save(name="Four eyes", control_type="preventive", kind="audit")
    from apps.people.services.people import person_create

    with schema_context(world.b.schema_name):  # a person of another tenant
        outsider = person_create(employee_number="B1", full_name="Of tenant B")
    data = pages.form_data(pages.change(control), name="Six eyes", owner=outsider.pk)
    response = pages.post(pages.change(control), data)
    assert response.status_code == 200 and field_errors(response, "owner")
    with schema_context(in_a.a.schema_name):
        control.refresh_from_db()
        assert (control.name, control.owner_id) == ("Four eyes", None)


def test_a_control_added_in_the_admin(pages, in_a):
    response = pages.post(
        "risks/control/add/",
        pages.form_data(
            "risks/control/add/",
            **{
                "name": "Velocity check",
                "control_type": "detective",
                "kind": "technical",
                "effectiveness": "not_assessed",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        assert Control.objects.get().name == "Velocity check"


def test_an_action_status_change_is_checked_by_the_service(pages, in_a):
    risk = make_risk()
    action = controls.action_create(risk_id=risk.pk, title="Tighten limits")
    controls.action_update(action_id=action.pk, status=ActionStatus.DONE)
    # done → cancelled is not a transition the service allows: shown on the status field.
    data = pages.form_data(pages.change(action), status=ActionStatus.CANCELLED, title="Other")
    response = pages.post(pages.change(action), data)
    assert response.status_code == 200
    assert field_errors(response, "status") == ["A done action cannot become cancelled."]
    with schema_context(in_a.a.schema_name):
        action.refresh_from_db()
        assert (action.status, action.title) == (ActionStatus.DONE, "Tighten limits")
    data = pages.form_data(pages.change(action), status=ActionStatus.IN_PROGRESS)
    assert pages.post(pages.change(action), data).status_code == 302
    with schema_context(in_a.a.schema_name):
        action.refresh_from_db()
        assert (action.status, action.completed_at) == (ActionStatus.IN_PROGRESS, None)


def test_an_action_added_in_the_admin_and_moved_in_bulk(pages, in_a):
    risk = make_risk()
    response = pages.post(
        "risks/treatmentaction/add/",
        pages.form_data("risks/treatmentaction/add/", **{"risk": risk.pk, "title": "Call back"}),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        action = TreatmentAction.objects.get()
    response = pages.post(
        "risks/treatmentaction/",
        {"action": "complete", "_selected_action": [action.pk]},
        follow=True,
    )
    assert "1 treatment action done." in page_messages(response)
    with schema_context(in_a.a.schema_name):
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE and action.completed_at is not None


def test_categories_are_added_and_renamed_through_the_services(pages, in_a):
    credit = RiskCategory.objects.get(code="credit")
    response = pages.post(
        "risks/riskcategory/add/",
        pages.form_data(
            "risks/riskcategory/add/",
            **{"code": " SME_Credit ", "parent": credit.pk, "name_en": "SME credit"},
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(in_a.a.schema_name):
        sme = RiskCategory.objects.get(code="sme_credit")
        assert sme.path == "credit/sme_credit"  # the service builds the path
    data = pages.form_data(pages.change(sme), name_en="  Small business credit ", code="other")
    assert pages.post(pages.change(sme), data).status_code == 302
    with schema_context(in_a.a.schema_name):
        sme.refresh_from_db()
        assert (sme.code, sme.name_en) == ("sme_credit", "Small business credit")
