"""HR sync from a file: every problem reported at once, all rows or none, repeatable."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from apps.core.tabular import RowsRejected
from apps.people.models import Person
from apps.people.services import people
from apps.people.services.importing import people_import
from tests.people.files import HEADER, csv_file, xlsx_file


def refusal(content: bytes, file_format: str = "csv", **kwargs) -> list[tuple]:
    with pytest.raises(RowsRejected) as refused:
        people_import(content=content, file_format=file_format, **kwargs)
    return [(e.row, e.column, e.code) for e in refused.value.errors]


def directory() -> dict[str, tuple]:
    return {
        p.employee_number: (
            p.full_name,
            p.department.code if p.department else None,
            p.manager.employee_number if p.manager else None,
            p.active,
        )
        for p in Person.objects.select_related("department", "manager")
    }


ROWS = [
    ["E001", "王芳", "risk", "head", "", "wang.fang@example.com"],
    ["E002", "Li Wei", "credit", "risk_officer", "E001", "li.wei@example.com"],
    ["E010", "陈静", "it", "engineer", "E011", ""],  # manager is a later row
    ["E011", "Zhou", "it", "it_head", "E001", ""],
]


def test_a_file_creates_people_with_managers_from_later_rows(org):
    outcome = people_import(content=csv_file(ROWS), file_format="csv")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 1, 1)
    assert directory() == {
        "E001": ("王芳", "risk", None, True),
        "E002": ("Li Wei", "credit", "E001", True),
        "E010": ("陈静", "it", "E011", True),
        "E011": ("Zhou", "it", "E001", True),
    }


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org):
    people_import(content=csv_file(ROWS), file_format="csv")
    entries = LogEntry.objects.count()
    outcome = people_import(content=csv_file(ROWS), file_format="csv")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 4)
    assert LogEntry.objects.count() == entries


def test_a_bad_file_reports_every_row_and_column_and_writes_nothing(org):
    before = directory()
    header = ["Employee Number", "Name", "Department", "Manager", "Hired On", "Left On", "Active"]
    rows = [
        ["E020", "Good", "risk", "", "2024-01-01", "", "yes"],
        ["E021", "", "nope", "E999", "2024-13-01", "", ""],
        [],  # blank rows keep spreadsheet numbering
        ["E020", "Twice", "risk", "E020", "2024-02-01", "2024-01-01", "maybe"],
        ["E001", "王芳", "risk", "E002", "", "", ""],  # E002 reports to E001: a loop
    ]
    assert sorted(refusal(csv_file(rows, header=header))) == [
        (3, "Department", "not_found"),
        (3, "Hired On", "invalid"),
        (3, "Manager", "not_found"),
        (3, "Name", "invalid"),
        (5, "Active", "invalid"),
        (5, "Employee Number", "employee_number_taken"),
        (5, "Left On", "left_before_hired"),
        (5, "Manager", "manager_cycle"),
        (6, "Manager", "manager_cycle"),
    ]
    assert directory() == before


def test_the_header_is_checked_first(org):
    content = csv_file([["E1", "X"]], header=["employee_number", "salary", "salary"])
    assert refusal(content) == [
        (1, "salary", "import_invalid"),
        (1, "salary", "import_invalid"),
        (1, "salary", "import_invalid"),
        (1, "name", "import_invalid"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_excel_csv_encodings_are_read(org, encoding):
    people_import(content=csv_file(ROWS[:2], encoding=encoding), file_format="csv")
    assert Person.objects.get(employee_number="E001").full_name == "王芳"


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(org):
    header = ["employee_number", "name", "department", "hired_on"]
    people_import(
        content=xlsx_file([[3001, "数字工号", "risk", date(2023, 5, 4)]], header=header),
        file_format="xlsx",
    )
    person = Person.objects.get(employee_number="3001")
    assert (person.full_name, person.hired_on) == ("数字工号", date(2023, 5, 4))


def test_garbage_is_one_error_of_the_whole_file(org):
    assert refusal(b"\xff\xfe\x00garbage", "xlsx") == [(0, None, "import_invalid")]
    assert refusal(csv_file([])) == [(0, None, "import_invalid")]  # no data rows


def test_people_missing_from_the_file_are_deactivated_only_when_asked(org):
    rows = [["E001", "王芳", "risk", "head", "", ""]]
    people_import(content=csv_file(rows), file_format="csv")
    assert Person.objects.get(employee_number="E002").active
    outcome = people_import(content=csv_file(rows), file_format="csv", deactivate_missing=True)
    gone = Person.objects.get(employee_number="E002")
    assert (outcome.deactivated, gone.active, gone.left_on) == (1, False, timezone.localdate())


def test_a_row_marked_inactive_deactivates_with_a_leaving_date(org):
    header = ["employee_number", "name", "active"]
    people_import(content=csv_file([["E002", "Li Wei", "离职"]], header=header), file_format="csv")
    gone = Person.objects.get(employee_number="E002")
    assert (gone.active, gone.left_on) == (False, timezone.localdate())


def test_columns_left_out_of_the_file_are_kept(org):
    people.person_update(person_id=org["report"].pk, phone="+86 10 1234")
    people_import(content=csv_file([["E002", "Li Wei"]], header=HEADER[:2]), file_format="csv")
    kept = Person.objects.get(employee_number="E002")
    assert (kept.phone, kept.manager_id, kept.department_id) == (
        "+86 10 1234",
        org["head"].pk,
        org["credit"].pk,
    )


def test_a_manager_swap_within_one_file_is_not_a_loop(org):
    # E002 reports to E001 today; the file turns it around.
    rows = [["E001", "王芳", "risk", "head", "E002", ""], ["E002", "Li Wei", "risk", "", "", ""]]
    people_import(content=csv_file(rows), file_format="csv")
    assert directory()["E001"][2] == "E002" and directory()["E002"][2] is None


def test_linking_a_member_account_by_email(org, world):
    header = ["employee_number", "name", "user"]
    people_import(
        content=csv_file([["E001", "王芳", "ANALYST@a.test"]], header=header), file_format="csv"
    )
    assert Person.objects.get(employee_number="E001").user_id == world.user("a", "analyst").pk
    assert refusal(csv_file([["E002", "Li", "analyst@b.test"]], header=header)) == [
        (2, "user", "not_a_member")
    ]


def test_a_refusal_while_writing_undoes_the_rows_already_written(org):
    # E002 starts next month: deactivating her today (not in the file) is refused by the service.
    future = timezone.localdate().replace(day=1) + timedelta(days=40)
    people.person_update(person_id=org["report"].pk, hired_on=future)
    before = directory()
    rows = [["E001", "王芳 (renamed)", "risk", "head", "", ""], ["E050", "New", "it", "", "", ""]]
    assert refusal(csv_file(rows), deactivate_missing=True) == [(0, None, "left_before_hired")]
    assert directory() == before


def test_the_example_file_of_the_user_docs_imports(in_a):
    from pathlib import Path

    from django.conf import settings

    from apps.people.services import departments

    text = (Path(settings.BASE_DIR) / "docs" / "people.md").read_text()
    example = text.split("```csv\n")[1].split("```")[0]
    risk = departments.department_create(code="risk", name_zh="风险管理部")
    departments.department_create(code="credit_risk", name_en="Credit risk", parent_id=risk.pk)
    outcome = people_import(content=example.encode("gb18030"), file_format="csv")
    assert outcome.created == 3
    assert directory()["E003"] == ("陈静", "credit_risk", "E002", True)


def test_hr_numbers_replace_the_stand_ins_of_the_owner_migration(org, world):
    """People the register's owner migration made (`USER-<id>`) get their HR number from the
    first file naming them — by member account, else by a unique e-mail — and keep their pk
    (so what they own stays theirs); an e-mail two stand-ins share adopts neither."""
    analyst = world.user("a", "analyst")
    by_account = people.person_create(
        employee_number=f"USER-{analyst.pk}", full_name="analyst", user_id=analyst.pk
    )
    by_email = people.person_create(
        employee_number="USER-900", full_name="zhou", email="Zhou@Example.com"
    )
    twin_1 = people.person_create(employee_number="USER-901", full_name="x", email="x@example.com")
    twin_2 = people.person_create(
        employee_number="USER-901-2", full_name="x", email="x@example.com"
    )
    header = ["employee_number", "name", "email", "user"]
    rows = [
        ["E020", "分析师", "", "analyst@a.test"],
        ["E021", "Zhou", "zhou@example.com", ""],
        ["E022", "X", "x@example.com", ""],
    ]
    outcome = people_import(content=csv_file(rows, header=header), file_format="csv")

    assert (outcome.created, outcome.updated) == (1, 2)
    numbers = dict(Person.objects.values_list("pk", "employee_number"))
    assert numbers[by_account.pk] == "E020" and numbers[by_email.pk] == "E021"
    assert (numbers[twin_1.pk], numbers[twin_2.pk]) == ("USER-901", "USER-901-2")
    assert Person.objects.get(employee_number="E022").pk not in (twin_1.pk, twin_2.pk)
    assert Person.objects.get(pk=by_account.pk).full_name == "分析师"
