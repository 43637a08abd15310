"""Risk references (R-0001, …): numbered at creation in creation order, found by reference in
`risk(reference:)`, the search filter and the admin, sortable, and written by the export."""

import csv
import io

from django.db import connection
from django.db.models import Max
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.risks.models import Risk, RiskCategory
from apps.risks.services import register
from apps.risks.services.transfer_export import risks_export
from tests.conftest import error_codes


def _three_risks(world) -> tuple[int, list[Risk]]:
    """The number before them and three new risks, created in this order."""
    with schema_context(world.a.schema_name):
        before = Risk.objects.aggregate(n=Max("number"))["n"] or 0
        credit = RiskCategory.objects.get(code="credit")
        made = [
            register.risk_create(title=title, category_id=credit.pk)
            for title in ("Fraud ring", "Rate shock", "Vendor outage")
        ]
    connection.set_schema_to_public()
    return before, made


def test_new_risks_are_numbered_in_creation_order(world):
    before, made = _three_risks(world)
    assert [r.number for r in made] == [before + 1, before + 2, before + 3]
    assert made[0].reference == f"R-{before + 1:04d}"
    with schema_context(world.b.schema_name):  # another tenant's register counts on its own
        b_before = Risk.objects.aggregate(n=Max("number"))["n"] or 0
        other = register.risk_create(
            title="B's risk", category_id=RiskCategory.objects.get(code="credit").pk
        )
    assert other.number == b_before + 1


def test_a_risk_is_found_by_its_reference(api, world):
    before, made = _three_risks(world)
    viewer = api("a", "viewer")
    query = "query($r: String) { risk(reference: $r) { title reference } }"
    second = f"R-{before + 2:04d}"
    assert viewer.ok(query, {"r": second})["risk"] == {"title": "Rate shock", "reference": second}
    assert viewer.ok(query, {"r": f"r{before + 2}"})["risk"]["title"] == "Rate shock"
    assert viewer.ok(query, {"r": "R-99999"})["risk"] is None
    assert viewer.ok(query, {"r": "not a reference"})["risk"] is None
    # Tenant B has its own R-… numbers: A's reference never reaches B's risks.
    b_query = api("b", "viewer")(query, {"r": second})
    assert b_query["data"]["risk"] is None or b_query["data"]["risk"]["title"] != "Rate shock"
    both = viewer(
        "query($id: ID, $r: String) { risk(id: $id, reference: $r) { title } }",
        {"id": to_base64("Risk", made[0].pk), "r": second},
    )
    assert error_codes(both) == ["BAD_ARGUMENT"] and both["data"]["risk"] is None


def test_the_search_filter_and_ordering_know_references(api, world):
    before, made = _three_risks(world)
    viewer = api("a", "viewer")
    found = viewer.ok(
        "query($s: String) { risks(filter: {search: $s}) { edges { node { title } } } }",
        {"s": f"R-{before + 3:04d}"},
    )
    assert [e["node"]["title"] for e in found["risks"]["edges"]] == ["Vendor outage"]
    ordered = viewer.ok(
        "{ risks(first: 3, orderBy: [{field: REFERENCE, direction: DESC}]) "
        "{ edges { node { reference } } } }"
    )
    assert [e["node"]["reference"] for e in ordered["risks"]["edges"]] == [
        f"R-{n:04d}" for n in (before + 3, before + 2, before + 1)
    ]


def test_the_export_writes_the_reference(world):
    before, made = _three_risks(world)
    with schema_context(world.a.schema_name):
        exported = risks_export(queryset=Risk.objects.filter(pk=made[1].pk), file_format="csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["title"], r["reference"]) for r in rows] == [("Rate shock", f"R-{before + 2:04d}")]
