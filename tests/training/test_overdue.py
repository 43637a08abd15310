"""The overdue list (`trainingOverdue`): hand-counted rows, order, filters, page bounds, and
the same SQL for one row as for two."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from strawberry.relay import to_base64

from apps.training.services.courses import course_create
from apps.training.services.records import exemption_grant, record_create
from apps.training.services.requirements import requirement_create
from tests.kit.sql import sql_count

DAY = timedelta(days=1)
ROWS = """rows { person { employeeNumber department { code } } course { code } status dueOn
                 daysPastDue }"""


def _crafted(org, course, world):
    """HQ must take AML within 10 days (grace 5): Ana completed, Bo (Credit) never did, Cy is
    exempt. Ethics (no grace) is due from today for Ana, who never took it."""
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=10)
    record_create(
        person_id=org["ana"].pk, course_id=course.pk, completed_at=timezone.now() - DAY, score=70
    )
    exemption_grant(
        person_id=org["cy"].pk,
        course_id=course.pk,
        reason="On leave.",
        actor=world.user("a", "risk_manager"),
    )
    ethics = course_create(code="ethics", title_en="Ethics", topic="ethics", format="seminar")
    requirement_create(course_id=ethics.pk, person_ids=[org["ana"].pk], first_due_days=0)


def test_overdue_rows_oldest_first_filters_and_bounds(api, org, course, world):
    _crafted(org, course, world)
    connection.set_schema_to_public()
    today = timezone.localdate()
    later = (today + 16 * DAY).isoformat()
    viewer = api("a", "viewer")
    data = viewer.ok(
        f"query($d: Date!) {{ trainingOverdue(asOf: $d) {{ totalCount {ROWS} }} }}", {"d": later}
    )
    # 16 days on: Ana's ethics was due today (16 days late), Bo's AML on day 10 (6 days late)
    assert data["trainingOverdue"] == {
        "totalCount": 2,
        "rows": [
            {
                "person": {"employeeNumber": "E1", "department": {"code": "risk"}},
                "course": {"code": "ethics"},
                "status": "OVERDUE",
                "dueOn": today.isoformat(),
                "daysPastDue": 16,
            },
            {
                "person": {"employeeNumber": "E2", "department": {"code": "credit"}},
                "course": {"code": "aml_basics"},
                "status": "OVERDUE",
                "dueOn": (today + 10 * DAY).isoformat(),
                "daysPastDue": 6,
            },
        ],
    }
    credit = to_base64("Department", str(org["credit"].pk))
    only_credit = viewer.ok(
        "query($d: Date!, $dep: ID!) { trainingOverdue(asOf: $d, department: $dep) "
        "{ totalCount rows { person { employeeNumber } } } }",
        {"d": later, "dep": credit},
    )["trainingOverdue"]
    assert only_credit == {"totalCount": 1, "rows": [{"person": {"employeeNumber": "E2"}}]}
    second = viewer.ok(
        "query($d: Date!) { trainingOverdue(asOf: $d, first: 1, offset: 1) "
        "{ totalCount rows { course { code } } } }",
        {"d": later},
    )["trainingOverdue"]
    assert second == {"totalCount": 2, "rows": [{"course": {"code": "aml_basics"}}]}
    # Both differ from the default order (ethics, then AML; Ana, then Bo).
    by_course = viewer.ok(
        "query($d: Date!, $o: [TrainingObligationOrder!]) { trainingOverdue(asOf: $d, orderBy: $o)"
        " { rows { course { code } } } }",
        {"d": later, "o": [{"field": "COURSE"}]},
    )["trainingOverdue"]
    assert [r["course"]["code"] for r in by_course["rows"]] == ["aml_basics", "ethics"]
    by_person = viewer.ok(
        "query($d: Date!) { trainingOverdue(asOf: $d, first: null,"
        " orderBy: [{field: PERSON, direction: DESC}])"
        " { rows { person { employeeNumber } } } }",
        {"d": later},
    )["trainingOverdue"]
    assert [r["person"]["employeeNumber"] for r in by_person["rows"]] == ["E2", "E1"]  # Bo, Ana
    past_end = viewer.ok(
        "query($d: Date!) { trainingOverdue(asOf: $d, offset: 5) { totalCount rows { dueOn } } }",
        {"d": later},
    )["trainingOverdue"]
    assert past_end == {"totalCount": 2, "rows": []}
    # today nobody is late yet: Ana's ethics is due today, not past due + grace
    none_yet = viewer.ok("{ trainingOverdue { totalCount } }")["trainingOverdue"]
    assert none_yet == {"totalCount": 0}
    too_many = viewer("{ trainingOverdue(first: 101) { totalCount } }")
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"
    negative = viewer("{ trainingOverdue(offset: -1) { totalCount } }")
    assert negative["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"
    foreign = to_base64("Department", "00000000-0000-4000-8000-000000000000")
    unknown = viewer(f'{{ trainingOverdue(department: "{foreign}") {{ totalCount }} }}')
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_overdue_page_sql_does_not_grow_with_rows(api, org, course, world):
    """token + membership (2), the training settings (1), the page with its total (1), the
    page's people with their departments (1), its courses (1): 6 for one row as for two."""
    _crafted(org, course, world)
    connection.set_schema_to_public()
    later = (timezone.localdate() + 16 * DAY).isoformat()
    viewer = api("a", "viewer")
    query = f"query($d: Date!) {{ trainingOverdue(asOf: $d, first: PAGE) {{ totalCount {ROWS} }} }}"
    counts = [sql_count(viewer, query.replace("PAGE", str(n)), {"d": later}) for n in (1, 2)]
    assert counts == [6, 6]
