"""Owners of risks, controls and actions are people of the directory (most never log in)."""

import importlib
from datetime import timedelta

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.notifications.models import Notification
from apps.people.models import Person
from apps.risks.models import Risk, RiskCategory, RiskStatus, TreatmentAction
from apps.risks.services import register
from apps.risks.services.daily import run_daily
from apps.risks.services.transfer_import import risks_import
from tests.risks.people import person_for, unlinked_person
from tests.risks.test_transfer import csv_file, refusal

migration = importlib.import_module("apps.risks.migrations.0010_owners_to_people")
OWNED_TABLES = ("risks_risk", "risks_control", "risks_treatmentaction")


def _as_before_the_change():
    """The tables as migration 0009 left them (user column `owner_id` beside `owner_person_id`),
    inside the test's transaction (PostgreSQL DDL rolls back), and the models of that state."""
    with connection.cursor() as cursor:
        for table in OWNED_TABLES:
            cursor.execute(f"ALTER TABLE {table} RENAME COLUMN owner_id TO owner_person_id")
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN owner_id bigint NULL")
    state = MigrationLoader(connection).project_state(("risks", "0009_owner_person"))
    apps = state.apps
    models = {n: apps.get_model("risks", n) for n in ("Risk", "Control", "TreatmentAction")}
    models["RiskAcceptance"] = apps.get_model("risks", "RiskAcceptance")
    models["Person"] = apps.get_model("people", "Person")
    models["User"] = apps.get_model("accounts", "User")
    models["Membership"] = apps.get_model("accounts", "Membership")
    return models


def test_the_migration_makes_each_owner_user_a_person_once(credit, world):
    analyst, manager = world.user("a", "analyst"), world.user("a", "risk_manager")
    stranger = world.user("b", "admin")  # owns an action, but is no member of tenant A
    known = person_for(analyst, number="E100")  # already in the directory: found, not copied
    unlinked_person(f"USER-{manager.pk}", "Holds the number first")  # forces the -2 suffix
    models = _as_before_the_change()
    risk = models["Risk"].objects.create(title="Old", category_id=credit.pk, owner_id=analyst.pk)
    models["Control"].objects.create(
        name="Old control", control_type="detective", kind="audit", owner_id=manager.pk
    )
    models["TreatmentAction"].objects.create(risk_id=risk.pk, title="Old", owner_id=stranger.pk)
    accepted = models["RiskAcceptance"].objects.create(
        risk_id=risk.pk,
        justification="x",
        requested_expires_at=timezone.localdate(),
        snapshot={"owner_id": analyst.pk, "title": "Old"},
    )

    assert migration.owners_to_people(models, world.a.schema_name) == 2

    made = {p.employee_number: p for p in models["Person"].objects.exclude(pk=known.pk)}
    manager_person = made[f"USER-{manager.pk}-2"]
    assert (manager_person.full_name, manager_person.email, manager_person.user_id) == (
        manager.email,  # no full name: the e-mail
        manager.email,
        manager.pk,
    )
    stranger_person = made[f"USER-{stranger.pk}"]
    assert (stranger_person.email, stranger_person.user_id) == (stranger.email, None)
    assert models["Risk"].objects.get(pk=risk.pk).owner_person_id == known.pk
    assert models["Control"].objects.get().owner_person_id == manager_person.pk
    assert models["TreatmentAction"].objects.get().owner_person_id == stranger_person.pk
    accepted.refresh_from_db()
    assert accepted.snapshot == {"owner_id": str(known.pk), "title": "Old"}
    assert migration.owners_to_people(models, world.a.schema_name) == 0  # idempotent
    assert models["Person"].objects.count() == 4


def test_an_owner_without_an_account_owns_but_is_not_emailed(credit, world):
    never = unlinked_person("E200", "Never Logs In")
    linked = person_for(world.user("a", "analyst"))
    for person in (never, linked):
        risk = register.risk_create(
            title=f"Stale {person.employee_number}",
            category_id=credit.pk,
            owner_id=person.pk,
            status=RiskStatus.OPEN,
        )
        Risk.objects.filter(pk=risk.pk).update(
            next_review_at=timezone.localdate() - timedelta(days=2)
        )
    assert run_daily(since=timezone.now())["overdue_reviews"] == 2
    mailed = Notification.objects.filter(event="risks.review_overdue")
    assert list(mailed.values_list("recipient__email", flat=True)) == ["analyst@a.test"]


RISK_CREATE = """mutation($i: RiskCreateInput!) { riskCreate(input: $i) {
  risk { owner { fullName employeeNumber user { email } } } errors { field code } } }"""
ACTION_CREATE = """mutation($i: ActionCreateInput!) { actionCreate(input: $i) {
  action { owner { fullName } } errors { field code } } }"""
RISKS = """query($f: RiskFilter) { risks(filter: $f) { totalCount edges { node { title } } } }"""


def test_owners_through_graphql_take_a_person_and_refuse_foreign_or_inactive_ones(api, world):
    with schema_context(world.a.schema_name):
        credit = to_base64("RiskCategory", RiskCategory.objects.get(code="credit").pk)
        never = to_base64("Person", unlinked_person("E300", "王芳").pk)
        left = to_base64("Person", unlinked_person("E301", "Has Left", active=False).pk)
        me = to_base64("Person", person_for(world.user("a", "analyst")).pk)
    with schema_context(world.b.schema_name):
        foreign = to_base64("Person", unlinked_person("E300", "Of tenant B").pk)
    connection.set_schema_to_public()
    analyst = api("a", "analyst")

    def create(title, owner):
        body = analyst.ok(RISK_CREATE, {"i": {"title": title, "category": credit, "owner": owner}})
        return body["riskCreate"]

    assert create("Owned", never) == {
        "risk": {"owner": {"fullName": "王芳", "employeeNumber": "E300", "user": None}},
        "errors": [],
    }
    assert create("Mine", me)["risk"]["owner"]["user"] == {"email": "analyst@a.test"}
    for owner, code in ((left, "PERSON_INACTIVE"), (foreign, "NOT_FOUND")):
        assert create("Refused", owner) == {
            "risk": None,
            "errors": [{"field": "owner", "code": code}],
        }
    with schema_context(world.a.schema_name):
        assert sorted(Risk.objects.values_list("title", flat=True)) == ["Mine", "Owned"]
        risk = to_base64("Risk", Risk.objects.get(title="Owned").pk)
    connection.set_schema_to_public()
    action = analyst.ok(ACTION_CREATE, {"i": {"risk": risk, "title": "Call", "owner": left}})
    assert action["actionCreate"]["errors"] == [{"field": "owner", "code": "PERSON_INACTIVE"}]
    action = analyst.ok(ACTION_CREATE, {"i": {"risk": risk, "title": "Call", "owner": never}})
    assert action["actionCreate"] == {"action": {"owner": {"fullName": "王芳"}}, "errors": []}
    with schema_context(world.a.schema_name):
        assert TreatmentAction.objects.get().owner.employee_number == "E300"
    connection.set_schema_to_public()

    def titles(role, f):
        edges = api("a", role).ok(RISKS, {"f": f})["risks"]["edges"]
        return [e["node"]["title"] for e in edges]

    assert titles("viewer", {"owner": never}) == ["Owned"]
    assert titles("analyst", {"mine": True}) == ["Mine"]
    assert titles("viewer", {"mine": True}) == []  # no person is linked to the viewer


def test_an_import_names_owners_by_employee_number_or_global_id(in_a, credit):
    actor = in_a.user("a", "admin")
    never = unlinked_person("E400", "Never Logs In")
    left = unlinked_person("E401", "Has Left", active=False)
    header = ["title", "category", "owner"]
    content = csv_file(
        [
            header,
            ["By number", "credit", "E400"],
            ["By global id", "credit", to_base64("Person", never.pk)],
            ["Unowned", "credit", ""],
        ]
    )
    imported = risks_import(content=content, file_format="csv", actor=actor)
    assert [(r.title, r.owner_id) for r in imported] == [
        ("By number", never.pk),
        ("By global id", never.pk),
        ("Unowned", None),
    ]
    refused = csv_file(
        [
            header,
            ["Nobody", "credit", "E999"],
            ["A risk id", "credit", to_base64("Risk", imported[0].pk)],
        ]
    )
    assert refusal(refused, actor) == [(2, "owner", "not_found"), (3, "owner", "not_found")]
    inactive = csv_file([header, ["Fine", "credit", "E400"], ["Has left", "credit", "E401"]])
    assert refusal(inactive, actor) == [(3, "owner", "person_inactive")]  # the service's refusal
    assert Person.objects.get(pk=left.pk).active is False
    assert Risk.objects.count() == 3


LOSSES = """query($id: ID!, $o: [RiskLossEventOrder!]) { risk(id: $id) {
  lossEvents(orderBy: $o) { totalCount edges { node { amount currency description source
    reference risk { title } } } } } }"""


def test_a_risk_lists_its_loss_events_sorted(api, world):
    from apps.risks.services.losses import loss_event_record

    with schema_context(world.a.schema_name):
        credit = RiskCategory.objects.get(code="credit")
        risk = register.risk_create(title="Outage", category_id=credit.pk)
        other = register.risk_create(title="Other", category_id=credit.pk)
        now = timezone.now()
        for days, amount, ref in ((3, "500.00", "a"), (1, None, "b"), (2, "2500.50", "c")):
            loss_event_record(
                risk_ids=[risk.pk],
                occurred_at=now - timedelta(days=days),
                amount=amount,
                currency="CNY",
                description=f"Incident {ref}",
                source="emergency",
                reference=ref,
            )
        loss_event_record(
            risk_ids=[other.pk], occurred_at=now, amount=None, currency="CNY",
            description="Elsewhere", source="emergency", reference="x",
        )  # fmt: skip
    connection.set_schema_to_public()
    viewer = api("a", "viewer")
    gid = to_base64("Risk", risk.pk)

    def refs(order=None):
        found = viewer.ok(LOSSES, {"id": gid, "o": order})["risk"]["lossEvents"]
        return found["totalCount"], [e["node"]["reference"] for e in found["edges"]]

    assert refs() == (3, ["b", "c", "a"])  # latest first
    assert refs([{"field": "AMOUNT", "direction": "DESC"}]) == (3, ["c", "a", "b"])  # none last
    assert refs([{"field": "OCCURRED", "direction": "ASC"}]) == (3, ["a", "c", "b"])
    node = viewer.ok(LOSSES, {"id": gid, "o": None})["risk"]["lossEvents"]["edges"][1]["node"]
    assert node == {
        "amount": "2500.50",
        "currency": "CNY",
        "description": "Incident c",
        "source": "emergency",
        "reference": "c",
        "risk": {"title": "Outage"},
    }
