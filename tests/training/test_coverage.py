"""Coverage by department (sub-departments included) and by course, over crafted departments,
through the selector and the `trainingCoverage` query."""

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from apps.training.selectors.coverage import coverage
from apps.training.services.courses import course_create
from apps.training.services.records import exemption_grant, record_create
from apps.training.services.requirements import requirement_create

DAY = timedelta(days=1)


def _crafted(org, course, world):
    """Everyone under HQ must take the course within 10 days (grace 5). Ana (Risk) completed;
    Bo (Credit, under Risk) never did; Cy (IT) is exempt. A second course only for Ana."""
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
    return ethics


def _by_code(rows):
    return {
        r.code: (r.required, r.compliant, r.overdue, r.expired, r.exempt, r.compliant_percent)
        for r in rows
    }


def test_by_department_includes_sub_departments(org, course, world):
    _crafted(org, course, world)
    later = timezone.localdate() + 16 * DAY  # Bo's 10 days + 5 grace are over
    assert _by_code(coverage(as_of=later, group_by="department")) == {
        # required, compliant, overdue, expired, exempt, compliant %
        "hq": (3, 1, 2, 0, 1, 33.33),  # Ana's ethics is overdue too
        "risk": (3, 1, 2, 0, 0, 33.33),
        "credit": (1, 0, 1, 0, 0, 0.0),
        "it": (0, 0, 0, 0, 1, None),
    }


def test_by_course_and_on_an_earlier_date(org, course, world):
    _crafted(org, course, world)
    today = timezone.localdate()
    assert _by_code(coverage(as_of=today, group_by="course")) == {
        "aml_basics": (2, 1, 0, 0, 1, 50.0),
        "ethics": (1, 0, 0, 0, 0, 0.0),
    }
    assert coverage(as_of=today - DAY, group_by="course") == []  # no requirement yet


def test_training_coverage_query(api, org, course, world):
    _crafted(org, course, world)
    connection.set_schema_to_public()
    as_of = (timezone.localdate() + 16 * DAY).isoformat()
    data = api("a", "viewer").ok(
        """query($d: Date!) { byDept: trainingCoverage(asOf: $d, groupBy: DEPARTMENT) {
             department { code } course { code } required compliant overdue compliantPercent }
           byCourse: trainingCoverage(asOf: $d, groupBy: COURSE) {
             course { code } required overdue overduePercent expiredPercent } }""",
        {"d": as_of},
    )
    risk = next(r for r in data["byDept"] if r["department"]["code"] == "risk")
    assert risk == {
        "department": {"code": "risk"},
        "course": None,
        "required": 3,
        "compliant": 1,
        "overdue": 2,
        "compliantPercent": 33.33,
    }
    assert data["byCourse"] == [
        {
            "course": {"code": "aml_basics"},
            "required": 2,
            "overdue": 1,
            "overduePercent": 50.0,
            "expiredPercent": 0.0,
        },
        {
            "course": {"code": "ethics"},
            "required": 1,
            "overdue": 1,
            "overduePercent": 100.0,
            "expiredPercent": 0.0,
        },
    ]


def test_by_job_role_and_by_topic(org, course, world):
    _crafted(org, course, world)
    later = timezone.localdate() + 16 * DAY
    assert _by_code(coverage(as_of=later, group_by="job_role")) == {
        "analyst": (1, 0, 1, 0, 0, 0.0),  # Bo
        "developer": (0, 0, 0, 0, 1, None),  # Cy, exempt
        "risk_officer": (2, 1, 1, 0, 0, 50.0),  # Ana: AML done, ethics overdue
    }
    assert _by_code(coverage(as_of=later, group_by="topic")) == {
        "compliance": (2, 1, 1, 0, 1, 50.0),
        "ethics": (1, 0, 1, 0, 0, 0.0),
    }


def _last_day_months_ahead(months: int) -> date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month + months, 12)  # the month after
    return date(year, month + 1, 1) - DAY


def test_monthly_trend_rebuilds_each_month_end(org, course, world):
    from apps.training.selectors.coverage import coverage_trend

    _crafted(org, course, world)
    end = _last_day_months_ahead(3)  # the last day of the third month after this one
    points = coverage_trend(end=end, months=5)
    assert [p.on for p in points] == [_last_day_months_ahead(n) for n in (-1, 0, 1, 2, 3)]
    # last month's end: before the requirements existed; then Ana's AML holds (12 months),
    # Bo's and Ana's ethics overdue once 10 + 5 days (ethics: 0 days) have passed
    got = [(p.row.required, p.row.compliant, p.row.compliant_percent) for p in points]
    assert got == [(0, 0, None)] + [(3, 1, 33.33)] * 4
    assert [p.row.overdue for p in points[2:]] == [2, 2, 2]
    (risk,) = [p.row for p in coverage_trend(end=end, months=1, department_id=org["credit"].pk)]
    assert (risk.code, risk.required, risk.compliant) == ("credit", 1, 0)


def test_trend_query_and_its_bounds(api, org, course, world):
    _crafted(org, course, world)
    connection.set_schema_to_public()
    end = _last_day_months_ahead(2).isoformat()
    viewer = api("a", "viewer")
    data = viewer.ok(
        """query($d: Date!) { trainingCoverageTrend(months: 2, asOf: $d) {
             on required compliant compliantPercent } }""",
        {"d": end},
    )
    assert data["trainingCoverageTrend"] == [
        {
            "on": _last_day_months_ahead(1).isoformat(),
            "required": 3,
            "compliant": 1,
            "compliantPercent": 33.33,
        },
        {"on": end, "required": 3, "compliant": 1, "compliantPercent": 33.33},
    ]
    default = viewer.ok("query($m: Int) { trainingCoverageTrend(months: $m) { on } }", {"m": None})
    assert len(default["trainingCoverageTrend"]) == 12  # null: twelve month ends
    refused = viewer("{ trainingCoverageTrend(months: 37) { on } }")
    assert refused["errors"][0]["extensions"]["code"] == "BAD_ARGUMENT"


def test_buckets_partition_required_and_covered_overlaps(api, org, course, world):
    """Hand count, 16 days from today (everyone under HQ, due in 10 days + 5 grace, 12-month
    certificates, due-soon window 30 days): Bo completed yesterday (compliant); Ana 340 days
    ago, so her certificate runs out in ~9 days (due soon, still covered); Cy never (overdue);
    Dee 400 days ago (expired). 4 required = 1 + 1 + 1 + 1; 2 covered."""
    from apps.people.services.people import person_create

    dee = person_create(
        employee_number="E4",
        full_name="Person E4",
        department_id=org["it"].pk,
        hired_on=timezone.localdate() - 500 * DAY,
    )
    requirement_create(course_id=course.pk, department_ids=[org["hq"].pk], first_due_days=10)
    for person, days_ago in ((org["bo"], 1), (org["ana"], 340), (dee, 400)):
        record_create(
            person_id=person.pk,
            course_id=course.pk,
            completed_at=timezone.now() - days_ago * DAY,
            score=80,
        )
    later = timezone.localdate() + 16 * DAY
    (hq,) = [r for r in coverage(as_of=later, group_by="department") if r.code == "hq"]
    counts = (hq.required, hq.compliant, hq.due_soon, hq.overdue, hq.expired, hq.covered)
    assert counts == (4, 1, 1, 1, 1, 2)
    assert hq.compliant + hq.due_soon + hq.overdue + hq.expired == hq.required
    connection.set_schema_to_public()
    data = api("a", "viewer").ok(
        """query($d: Date!) { trainingCoverage(asOf: $d, groupBy: COURSE) {
             required compliant dueSoon overdue expired covered
             compliantPercent dueSoonPercent coveredPercent } }""",
        {"d": later.isoformat()},
    )
    assert data["trainingCoverage"] == [
        {
            "required": 4,
            "compliant": 1,
            "dueSoon": 1,
            "overdue": 1,
            "expired": 1,
            "covered": 2,
            "compliantPercent": 25.0,
            "dueSoonPercent": 25.0,
            "coveredPercent": 50.0,
        }
    ]
