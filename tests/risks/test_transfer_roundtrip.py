"""Export → edit → import: a row with a risk's id updates that risk, without duplicates."""

import csv
import io

import pytest
from strawberry.relay import to_base64

from apps.risks.models import Risk
from apps.risks.services import assessments, register
from apps.risks.services.transfer_export import risks_export
from apps.risks.services.transfer_import import risks_import
from tests.risks.people import person_for
from tests.risks.test_transfer import csv_file, refusal


@pytest.fixture
def actor(in_a):
    return in_a.user("a", "admin")


def _export_rows(queryset) -> list[dict]:
    content = risks_export(queryset=queryset, file_format="csv").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def _csv_of(rows: list[dict]) -> bytes:
    return csv_file([list(rows[0])] + [list(row.values()) for row in rows])


def test_an_edited_export_updates_the_risks_it_names_and_creates_the_rows_without_id(
    actor, credit, world
):
    owner = person_for(world.user("a", "analyst"))
    risk = register.risk_create(
        title="Card fraud ring",
        category_id=credit.pk,
        description="Organised",
        owner_id=owner.pk,
        status="open",
        tags=["cards"],
    )
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=2, impact=2)
    (row,) = _export_rows(Risk.objects.filter(pk=risk.pk))
    edited = {
        **row,
        "title": "Card fraud rings",
        "description": "",  # an emptied cell clears the field
        "owner": "",
        "tags": "",
        "status": "in_treatment",  # a transition along the lifecycle
        "inherent_likelihood": "4",
        "inherent_impact": "5",
    }
    new = {**row, "id": "", "title": "Mule accounts", "status": "draft"}

    imported = risks_import(content=_csv_of([edited, new]), file_format="csv", actor=actor)

    assert (len(imported), imported.updated, Risk.objects.count()) == (2, 1, 2)
    risk.refresh_from_db()
    assert (risk.title, risk.description, risk.owner_id, risk.tags, risk.status) == (
        "Card fraud rings",
        "",
        None,
        [],
        "in_treatment",
    )
    assert (risk.inherent_likelihood, risk.inherent_impact, risk.inherent_level) == (
        4,
        5,
        "critical",
    )
    assert risk.assessments.count() == 2  # the old rating stays in the history
    created = Risk.objects.exclude(pk=risk.pk).get()
    assert (created.title, created.status) == ("Mule accounts", "draft")
    assert (row["owner"], created.owner_id) == ("T-ANALYST", owner.pk)  # by employee number


def test_an_unchanged_rating_on_a_reimport_records_no_assessment(actor, credit):
    risk = register.risk_create(title="Limit breach", category_id=credit.pk)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=3, impact=3)
    (row,) = _export_rows(Risk.objects.filter(pk=risk.pk))
    risks_import(
        content=_csv_of([{**row, "causes": "Concentration"}]), file_format="csv", actor=actor
    )
    risk.refresh_from_db()
    assert (risk.causes, risk.assessments.count()) == ("Concentration", 1)


def test_an_id_that_names_no_risk_here_refuses_the_file(actor, credit):
    risk = register.risk_create(title="Kept", category_id=credit.pk)
    (row,) = _export_rows(Risk.objects.filter(pk=risk.pk))
    gone = to_base64("Risk", "00000000-0000-0000-0000-000000000000")
    not_a_risk = to_base64("RiskCategory", credit.pk)
    rows = [{**row, "title": "Changed"}, {**row, "id": gone}, {**row, "id": not_a_risk}]
    assert refusal(_csv_of(rows), actor) == [
        (3, "id", "not_found"),
        (4, "id", "not_found"),
    ]
    risk.refresh_from_db()
    assert (risk.title, Risk.objects.count()) == ("Kept", 1)  # nothing was written


def test_two_rows_may_not_update_one_risk(actor, credit):
    risk = register.risk_create(title="Once", category_id=credit.pk)
    (row,) = _export_rows(Risk.objects.filter(pk=risk.pk))
    assert refusal(_csv_of([row, {**row, "title": "Twice"}]), actor) == [(3, "id", "invalid")]


def test_a_refused_transition_in_an_update_row_names_the_status_column(actor, credit):
    risk = register.risk_create(title="Draft one", category_id=credit.pk)
    (row,) = _export_rows(Risk.objects.filter(pk=risk.pk))
    accepted = {**row, "status": "accepted"}  # reached only through an acceptance
    assert refusal(_csv_of([accepted]), actor) == [(2, "status", "invalid_transition")]
    risk.refresh_from_db()
    assert risk.status == "draft"
