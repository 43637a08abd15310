"""'My work' on signals: assign, filter by assignee, a thread of comments and changes, bulk
transitions with an outcome per id, webhook events for acknowledge and dismiss, inbox counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from strawberry.relay import to_base64

from apps.early_warning.models import SignalComment, WarningSignal
from apps.early_warning.services import indicators
from apps.early_warning.services.scans import scan
from apps.notifications import services as notifications
from apps.notifications.models import WebhookDelivery
from tests.early_warning.conftest import T0, feed, indicator_new

NOW = T0 + timedelta(days=30)
NIL = "00000000-0000-0000-0000-000000000000"


def _gid(pk) -> str:
    return to_base64("WarningSignal", str(pk))


def _user(world, role: str) -> str:
    return to_base64("User", str(world.user("a", role).pk))


@pytest.fixture
def three(world):
    """Three open red signals in tenant A (one per indicator), oldest first, and a webhook
    that hears acknowledgements and dismissals."""
    with schema_context(world.a.schema_name):
        pks = []
        for n in range(3):
            indicator = indicator_new(f"kri_{n}")
            indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
            feed(f"kri_{n}", [9.0], start=T0 + timedelta(hours=n))
            scan(indicator_ids=[indicator.pk], now=NOW + timedelta(minutes=n))
            pks.append(WarningSignal.objects.get(indicator=indicator).pk)
        notifications.webhook_create(
            name="inbox",
            url="https://hooks.example.com/inbox",
            event_types=["warnings.signal_acknowledged", "warnings.signal_dismissed"],
        )
    connection.set_schema_to_public()
    return pks


BULK = """mutation($i: WarningSignalsTransitionInput!) { warningSignalsTransition(input: $i) {
  errors { field code } moved results { id signal { status } errors { field code } } } }"""


def test_a_bulk_transition_moves_each_signal_on_its_own_and_says_which_failed(api, world, three):
    analyst = api("a", "analyst")
    first, second, third = three
    analyst.ok(
        "mutation($id: ID!) { signalTransition(input: {id: $id, to: RESOLVED}) { errors { code } } }",
        {"id": _gid(second)},
    )
    ids = [_gid(first), _gid(second), to_base64("WarningSignal", NIL), _gid(third)]
    body = analyst.ok(BULK, {"i": {"ids": ids, "to": "ACKNOWLEDGED", "comment": "On it."}})
    payload = body["warningSignalsTransition"]
    assert payload["errors"] == [] and payload["moved"] == 2
    assert [(r["id"], r["signal"], r["errors"]) for r in payload["results"]] == [
        (ids[0], {"status": "ACKNOWLEDGED"}, []),
        (ids[1], None, [{"field": "to", "code": "INVALID_TRANSITION"}]),
        (ids[2], None, [{"field": "ids.2", "code": "NOT_FOUND"}]),
        (ids[3], {"status": "ACKNOWLEDGED"}, []),
    ]
    with schema_context(world.a.schema_name):
        statuses = dict(WarningSignal.objects.values_list("pk", "status"))
        assert statuses == {first: "acknowledged", second: "resolved", third: "acknowledged"}
        events = sorted(WebhookDelivery.objects.values_list("event", flat=True))
        assert events == ["warnings.signal_acknowledged", "warnings.signal_acknowledged"]
    connection.set_schema_to_public()


def test_a_bulk_transition_of_too_many_or_no_ids_moves_nothing(api, world, three):
    analyst = api("a", "analyst")
    for ids in ([], [_gid(three[0])] * 101):
        body = analyst.ok(BULK, {"i": {"ids": ids, "to": "RESOLVED"}})["warningSignalsTransition"]
        assert (body["errors"], body["results"], body["moved"]) == (
            [{"field": "ids", "code": "INVALID"}],
            [],
            0,
        )
    with schema_context(world.a.schema_name):
        assert set(WarningSignal.objects.values_list("status", flat=True)) == {"open"}
    connection.set_schema_to_public()


def test_a_repeated_id_is_moved_once(api, three):
    ids = [_gid(three[0]), _gid(three[0])]
    body = api("a", "analyst").ok(BULK, {"i": {"ids": ids, "to": "RESOLVED"}})
    results = body["warningSignalsTransition"]["results"]
    assert [r["errors"] for r in results] == [[], [{"field": "ids.1", "code": "DUPLICATE"}]]


def test_a_dismissal_emits_its_event_and_needs_a_reason_for_each(api, world, three):
    analyst = api("a", "analyst")
    refused = analyst.ok(BULK, {"i": {"ids": [_gid(three[0])], "to": "DISMISSED"}})
    assert refused["warningSignalsTransition"]["results"][0]["errors"] == [
        {"field": "comment", "code": "INVALID"}
    ]
    analyst.ok(BULK, {"i": {"ids": [_gid(three[0])], "to": "DISMISSED", "comment": "Test feed."}})
    with schema_context(world.a.schema_name):
        delivery = WebhookDelivery.objects.get()
        assert delivery.event == "warnings.signal_dismissed"
        assert delivery.payload["data"]["status"] == "dismissed"
    connection.set_schema_to_public()


ASSIGN = """mutation($id: ID!, $who: ID) { signalAssign(input: {id: $id, assignee: $who}) {
  signal { assignee { email } } errors { field code } } }"""
MINE = """query($who: ID) { warningSignals(filter: {assignee: $who}) { totalCount
  edges { node { id } } } }"""


def test_assign_filter_by_assignee_and_unassign(api, world, three):
    analyst = api("a", "analyst")
    manager = _user(world, "risk_manager")
    assigned = analyst.ok(ASSIGN, {"id": _gid(three[1]), "who": manager})["signalAssign"]
    assert assigned == {"signal": {"assignee": {"email": "risk_manager@a.test"}}, "errors": []}
    mine = analyst.ok(MINE, {"who": manager})["warningSignals"]
    assert mine["totalCount"] == 1 and mine["edges"][0]["node"]["id"] == _gid(three[1])
    unassigned = analyst.ok("{ warningSignals(filter: {unassigned: true}) { totalCount } }")
    assert unassigned["warningSignals"]["totalCount"] == 2
    cleared = analyst.ok(ASSIGN, {"id": _gid(three[1]), "who": None})["signalAssign"]
    assert cleared == {"signal": {"assignee": None}, "errors": []}
    assert analyst.ok(MINE, {"who": manager})["warningSignals"]["totalCount"] == 0


def test_only_a_member_of_this_tenant_can_be_assigned(api, world, three):
    outsider = to_base64("User", str(world.user("b", "analyst").pk))
    body = api("a", "analyst").ok(ASSIGN, {"id": _gid(three[0]), "who": outsider})
    assert body["signalAssign"] == {
        "signal": None,
        "errors": [{"field": "assignee", "code": "NOT_A_MEMBER"}],
    }
    with schema_context(world.a.schema_name):
        assert WarningSignal.objects.get(pk=three[0]).assignee_id is None
    connection.set_schema_to_public()


THREAD = """query($id: ID!) { node(id: $id) { ... on WarningSignal { comment allowedTransitions
  comments { totalCount edges { node { body fromStatus toStatus author { email } } } }
  history { edges { node { fromStatus toStatus body } } } } } }"""


def test_the_thread_holds_comments_and_changes_in_order(api, world, three):
    analyst, gid = api("a", "analyst"), _gid(three[0])
    add = """mutation($id: ID!, $b: String!) { signalCommentCreate(input: {signal: $id, body: $b})
      { comment { body author { email } } errors { field code } } }"""
    first = analyst.ok(add, {"id": gid, "b": "Looking into the feed."})["signalCommentCreate"]
    assert first == {
        "comment": {"body": "Looking into the feed.", "author": {"email": "analyst@a.test"}},
        "errors": [],
    }
    empty = analyst.ok(add, {"id": gid, "b": "  "})["signalCommentCreate"]
    assert empty == {"comment": None, "errors": [{"field": "body", "code": "INVALID"}]}
    analyst.ok(BULK, {"i": {"ids": [gid], "to": "ACKNOWLEDGED", "comment": "Mine."}})
    api("a", "risk_manager").ok(
        BULK, {"i": {"ids": [gid], "to": "RESOLVED", "comment": "Feed fixed."}}
    )
    signal = analyst.ok(THREAD, {"id": gid})["node"]
    assert signal["comment"] == "Feed fixed."  # the old single field still reads the latest
    assert signal["allowedTransitions"] == []
    assert signal["comments"]["totalCount"] == 3
    assert [e["node"] for e in signal["comments"]["edges"]] == [
        {
            "body": "Looking into the feed.",
            "fromStatus": None,
            "toStatus": None,
            "author": {"email": "analyst@a.test"},
        },
        {
            "body": "Mine.",
            "fromStatus": "OPEN",
            "toStatus": "ACKNOWLEDGED",
            "author": {"email": "analyst@a.test"},
        },
        {
            "body": "Feed fixed.",
            "fromStatus": "ACKNOWLEDGED",
            "toStatus": "RESOLVED",
            "author": {"email": "risk_manager@a.test"},
        },
    ]
    assert [e["node"]["toStatus"] for e in signal["history"]["edges"]] == [
        "ACKNOWLEDGED",
        "RESOLVED",
    ]
    newest_first = analyst.ok(
        """query($id: ID!) { node(id: $id) { ... on WarningSignal {
        comments(orderBy: [{field: AT, direction: DESC}], first: 1) { edges { node { body } } }
        } } }""",
        {"id": gid},
    )["node"]["comments"]["edges"]
    assert newest_first == [{"node": {"body": "Feed fixed."}}]


def test_a_scan_writes_its_own_changes_to_the_thread_on_its_clock(in_a):
    indicator = indicator_new("auto", resolve_after_green=1)
    indicators.rule_save(indicator_id=indicator.pk, kind="threshold", params={})
    feed("auto", [9.0])
    scan(indicator_ids=[indicator.pk], now=NOW)
    feed("auto", [1.0], start=T0 + timedelta(hours=1))
    later = NOW + timedelta(hours=2)
    scan(indicator_ids=[indicator.pk], now=later)
    entry = SignalComment.objects.get()
    assert (entry.from_status, entry.to_status, entry.author_id, entry.at) == (
        "open",
        "resolved",
        None,
        later,
    )


def test_a_viewer_sees_no_transitions_allowed(api, three):
    node = api("a", "viewer").ok(THREAD, {"id": _gid(three[0])})["node"]
    assert node["allowedTransitions"] == []
    analyst = api("a", "analyst").ok(THREAD, {"id": _gid(three[0])})["node"]
    assert analyst["allowedTransitions"] == ["ACKNOWLEDGED", "ESCALATED", "RESOLVED", "DISMISSED"]


COUNTS = """query($f: WarningSignalFilter) { warningSignalCounts(filter: $f) { total
  byStatus { status count } bySeverity { severity count } } }"""


def test_counts_for_inbox_badges(api, world, three):
    analyst = api("a", "analyst")
    analyst.ok(BULK, {"i": {"ids": [_gid(three[0])], "to": "ACKNOWLEDGED"}})
    counts = analyst.ok(COUNTS)["warningSignalCounts"]
    assert counts == {
        "total": 3,
        "byStatus": [
            {"status": "OPEN", "count": 2},
            {"status": "ACKNOWLEDGED", "count": 1},
            {"status": "ESCALATED", "count": 0},
            {"status": "RESOLVED", "count": 0},
            {"status": "DISMISSED", "count": 0},
        ],
        "bySeverity": [{"severity": "AMBER", "count": 0}, {"severity": "RED", "count": 3}],
    }
    mine = analyst.ok(COUNTS, {"f": {"assignee": _user(world, "analyst")}})["warningSignalCounts"]
    assert mine["total"] == 1
    assert api("b", "admin").ok(COUNTS)["warningSignalCounts"]["total"] == 0


def test_signals_sort_by_the_keys_given(api, three):
    query = """{ warningSignals(orderBy: [{field: FIRST_TRIGGERED, direction: ASC}]) {
      edges { node { id } } } }"""
    edges = api("a", "viewer").ok(query)["warningSignals"]["edges"]
    assert [e["node"]["id"] for e in edges] == [_gid(pk) for pk in three]
    newest = api("a", "viewer").ok("{ warningSignals { edges { node { id } } } }")
    assert [e["node"]["id"] for e in newest["warningSignals"]["edges"]] == [
        _gid(pk) for pk in reversed(three)
    ]


def test_the_thread_and_the_history_read_right_in_a_list(api, three):
    analyst, gid = api("a", "analyst"), _gid(three[0])
    analyst.ok(
        """mutation($id: ID!) { signalCommentCreate(input: {signal: $id, body: "Note."})
        { errors { code } } }""",
        {"id": gid},
    )
    analyst.ok(BULK, {"i": {"ids": [gid], "to": "ACKNOWLEDGED", "comment": "Mine."}})
    listed = analyst.ok(
        """{ warningSignals(orderBy: [{field: FIRST_TRIGGERED, direction: ASC}]) { edges { node {
        comments { totalCount edges { node { body } } } history { totalCount edges { node { body } } }
        } } } }"""
    )["warningSignals"]["edges"]
    assert [
        (
            [c["node"]["body"] for c in e["node"]["comments"]["edges"]],
            [h["node"]["body"] for h in e["node"]["history"]["edges"]],
            e["node"]["comments"]["totalCount"],
            e["node"]["history"]["totalCount"],
        )
        for e in listed
    ] == [(["Note.", "Mine."], ["Mine."], 2, 1), ([], [], 0, 0), ([], [], 0, 0)]
