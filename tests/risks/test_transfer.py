"""Import of the register from CSV/XLSX (all or nothing) and export of it, as a user lives it."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from strawberry.relay import to_base64

from apps.core.tabular import RowsRejected
from apps.risks.models import Risk, RiskAssessment
from apps.risks.services import assessments, register, transfer_import
from apps.risks.services.transfer import EXPORT_COLUMNS
from apps.risks.services.transfer_export import risks_export
from apps.risks.services.transfer_import import risks_import
from tests.risks.people import person_for


@pytest.fixture
def actor(in_a):
    return in_a.user("a", "admin")


def csv_file(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes, actor, file_format: str = "csv") -> list[tuple]:
    with pytest.raises(RowsRejected) as refused:
        risks_import(content=content, file_format=file_format, actor=actor)
    return [(e.row, e.column, e.code) for e in refused.value.errors]


def described(risk: Risk) -> dict:
    """What an import sets, as the register stores it."""
    risk.refresh_from_db()
    inherent = risk.assessments.filter(kind="inherent").first()
    return {
        **{f: getattr(risk, f) for f in ("description", "business_line", "causes", "consequences")},
        "title": risk.title,
        "category": risk.category.code,
        "source": risk.source,
        "owner_id": risk.owner_id,
        "department": risk.department,
        "status": risk.status,
        "treatment_strategy": risk.treatment_strategy,
        "tags": risk.tags,
        "ratings": (
            risk.inherent_likelihood,
            risk.inherent_impact,
            risk.residual_likelihood,
            risk.residual_impact,
        ),
        "loss": (inherent.expected_loss, inherent.currency) if inherent else None,
    }


HEADER = [
    "title",
    "category",
    "owner",
    "status",
    "tags",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "expected_loss",
    "currency",
]


def test_a_good_csv_creates_risks_with_their_assessments(actor, world):
    analyst = person_for(world.user("a", "analyst"))  # named by its member's e-mail (older files)
    content = csv_file(
        [
            [*HEADER, "source", "treatment_strategy"],
            [
                "Borrowers default in a downturn",
                "Credit",
                "Analyst@A.test",
                "open",
                "Retail; downturn;",
                "4",
                "5",
                "2",
                "3",
                "2,500,000.50",
                "usd",
                "external",
                "mitigate",
            ],
            [""] * 13,  # Excel leaves blank lines: skipped, not refused
            ["Card fraud ring", "fraud", "", "", "", "", "", "", "", "", "", "", ""],
        ]
    )

    created = risks_import(content=content, file_format="csv", actor=actor)

    first, second = created
    assert described(first) == {
        "title": "Borrowers default in a downturn",
        "description": "",
        "category": "credit",
        "business_line": "",
        "causes": "",
        "consequences": "",
        "source": "external",
        "owner_id": analyst.pk,
        "department": "",
        "status": "open",
        "treatment_strategy": "mitigate",
        "tags": ["downturn", "retail"],
        "ratings": (4, 5, 2, 3),
        "loss": (Decimal("2500000.50"), "USD"),
    }
    assert (first.inherent_level, first.residual_level, first.current_level) == (
        "critical",
        "medium",
        "medium",
    )
    history = RiskAssessment.objects.filter(risk=first).order_by("kind")
    assert [(a.kind, a.method, a.rationale, a.assessor_id) for a in history] == [
        ("inherent", "expert", "Imported", actor.pk),
        ("residual", "expert", "Imported", actor.pk),
    ]
    assert (second.title, second.status, second.owner_id, second.current_level) == (
        "Card fraud ring",
        "draft",
        None,
        "",
    )
    assert not second.assessments.exists()


def test_bad_rows_write_nothing_and_every_error_is_reported(actor):
    before = Risk.objects.count()
    content = csv_file(
        [
            HEADER,
            ["A good row", "credit", "", "", "", "3", "3", "", "", "", ""],
            ["Unknown category", "crdit", "", "", "", "", "", "", "", "", ""],
            ["Off the matrix", "credit", "", "", "", "9", "2", "", "", "", ""],
            ["Stranger owns it", "credit", "admin@b.test", "", "", "", "", "", "", "", ""],
            ["", "credit", "", "", "", "", "", "", "", "", ""],
            ["Residual alone", "credit", "", "", "", "", "", "2", "2", "", ""],
            ["Two at once", "market", "", "closed", "", "3", "", "", "", "-5", ""],
        ]
    )

    errors = refusal(content, actor)

    assert errors == [
        (3, "category", "not_found"),
        (4, "inherent_likelihood", "out_of_range"),
        (5, "owner", "not_found"),
        (6, "title", "invalid"),
        (7, "residual_likelihood", "not_assessed"),
        (8, "status", "invalid"),
        (8, "inherent_impact", "invalid"),
        (8, "expected_loss", "invalid"),
    ]
    assert Risk.objects.count() == before


def test_messages_say_what_is_wrong(actor):
    content = csv_file([["title", "category"], ["Unknown category", "crdit"]])
    with pytest.raises(RowsRejected) as refused:
        risks_import(content=content, file_format="csv", actor=actor)
    assert refused.value.errors[0].message == "No category with code 'crdit'."


def test_a_service_refusal_during_creation_undoes_the_rows_already_created(actor, monkeypatch):
    before = Risk.objects.count()
    real_create = register.risk_create

    def refuse_the_second(**fields):
        if fields["title"] == "Second":
            raise ValidationError({"owner_id": ValidationError("Gone.", code="not_a_member")})
        return real_create(**fields)

    monkeypatch.setattr(register, "risk_create", refuse_the_second)
    content = csv_file([["title", "category"], ["First", "credit"], ["Second", "credit"]])

    assert refusal(content, actor) == [(3, "owner", "not_a_member")]
    assert Risk.objects.count() == before


def test_an_export_imports_again_as_the_same_unchanged_risks(actor, credit, world):
    owner = person_for(world.user("a", "risk_manager"))
    rated = register.risk_create(
        title="=SUM(A1:A9) 小微企业贷款违约",
        category_id=credit.pk,
        description="经济下行导致借款人违约\nsecond line",
        business_line="小微贷款",
        causes="Downturn",
        consequences="Losses",
        source="external",
        owner_id=owner.pk,
        department="风险管理部",
        status="open",
        treatment_strategy="mitigate",
        tags=["sme", "信用"],
    )
    assessments.assessment_record(
        risk_id=rated.pk,
        kind="inherent",
        likelihood=4,
        impact=3,
        expected_loss=Decimal("1234567.89"),
        currency="USD",
    )
    assessments.assessment_record(risk_id=rated.pk, kind="residual", likelihood=2, impact=2)
    bare = register.risk_create(title="Card fraud ring", category_id=credit.pk)
    originals = list(Risk.objects.filter(pk__in=[rated.pk, bare.pk]))

    exported = risks_export(
        queryset=Risk.objects.filter(pk__in=[rated.pk, bare.pk]), file_format="xlsx"
    )
    imported = risks_import(content=exported.content, file_format="xlsx", actor=actor)

    assert exported.row_count == 2
    assert exported.filename.endswith(".xlsx")
    assert exported.content_type.startswith("application/vnd.openxmlformats")
    before = sorted(map(str, map(described, originals)))
    # The rows carry their risks' ids: the same two risks come back, unchanged, no duplicates.
    assert {risk.pk for risk in imported} == {rated.pk, bare.pk}
    assert (imported.updated, Risk.objects.count(), RiskAssessment.objects.count()) == (2, 2, 2)
    assert sorted(map(str, map(described, imported))) == before


def test_a_csv_export_has_the_import_columns_and_the_derived_ones(actor, credit):
    risk = register.risk_create(title="Concentration in one region", category_id=credit.pk)
    assessments.assessment_record(risk_id=risk.pk, kind="inherent", likelihood=5, impact=5)
    register.risk_create(title="Not in the filter", category_id=credit.pk)

    exported = risks_export(queryset=Risk.objects.filter(pk=risk.pk), file_format="csv")

    header, row = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    # Written out, not read back from EXPORT_COLUMNS: a dropped or renamed column is a change a
    # spreadsheet user meets, so it must fail here.
    assert header == [
        "id", "title", "category", "description", "business_line", "causes", "consequences",
        "source", "owner", "department", "status", "treatment_strategy", "tags",
        "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact",
        "expected_loss", "currency", "reference", "inherent_level", "residual_level",
        "current_level", "above_appetite", "next_review_at", "created_at",
    ]  # fmt: skip
    values = dict(zip(header, row, strict=True))
    assert (exported.row_count, exported.content_type) == (1, "text/csv; charset=utf-8")
    assert {k: values[k] for k in ("id", "title", "category", "currency", "expected_loss")} == {
        "id": to_base64("Risk", risk.pk),  # the global id the API knows the risk by
        "title": "Concentration in one region",
        "category": "credit",
        "currency": "CNY",
        "expected_loss": "",
    }
    assert (values["inherent_level"], values["current_level"], values["above_appetite"]) == (
        "critical",
        "critical",
        "false",
    )


def test_chinese_text_and_the_utf8_bom_survive(actor, credit):
    register.risk_create(title="信用卡欺诈团伙", category_id=credit.pk, department="反欺诈中心")
    exported = risks_export(queryset=Risk.objects.all(), file_format="csv")

    assert exported.content.startswith(b"\xef\xbb\xbf")  # how Excel recognises UTF-8
    assert "信用卡欺诈团伙" in exported.content.decode("utf-8-sig")
    # What Excel saves as "CSV UTF-8": a BOM before the first heading, which must not stick to it.
    content = "\ufefftitle,category,department\n信用卡欺诈团伙,fraud,反欺诈中心\n".encode()
    (risk,) = risks_import(content=content, file_format="csv", actor=actor)
    assert (risk.title, risk.category.code, risk.department) == (
        "信用卡欺诈团伙",
        "fraud",
        "反欺诈中心",
    )


def test_a_gb18030_csv_from_chinese_excel_is_read(actor):
    content = csv_file([["title", "category"], ["小微企业贷款违约", "credit"]], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the case the fallback exists for

    (risk,) = risks_import(content=content, file_format="csv", actor=actor)
    assert risk.title == "小微企业贷款违约"


def test_formulas_are_neutralised_in_exports(actor, credit):
    risk = register.risk_create(
        title='=HYPERLINK("http://evil.example","click")',
        category_id=credit.pk,
        description="+1+1",
        business_line="-2",
        department="@SUM(1)",
        causes="\tcmd",
    )
    only = Risk.objects.filter(pk=risk.pk)

    header, row = list(
        csv.reader(io.StringIO(risks_export(queryset=only, file_format="csv").content.decode()))
    )
    values = dict(zip(header, row, strict=True))
    assert [values[c] for c in ("title", "description", "business_line", "department")] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1+1",
        "'-2",
        "'@SUM(1)",
    ]
    assert values["causes"] == "'\tcmd"

    sheet = openpyxl.load_workbook(
        io.BytesIO(risks_export(queryset=only, file_format="xlsx").content)
    ).active
    title = sheet.cell(row=2, column=EXPORT_COLUMNS.index("title") + 1)
    assert (title.value, title.data_type) == ('\'=HYPERLINK("http://evil.example","click")', "s")


def test_headings_are_matched_whatever_their_case_and_order(actor):
    content = xlsx_file(
        [
            ["Inherent Impact", "CATEGORY", "Title", "inherent_likelihood"],
            [2, "market", "Rates rise", 3.0],
        ]
    )
    (risk,) = risks_import(content=content, file_format="xlsx", actor=actor)
    assert (risk.title, risk.category.code, risk.inherent_likelihood, risk.inherent_impact) == (
        "Rates rise",
        "market",
        3,
        2,
    )


def test_an_unknown_column_is_refused_by_name(actor):
    content = csv_file([["title", "category", "Priority", "colour"], ["A", "credit", "1", "red"]])
    with pytest.raises(RowsRejected) as refused:
        risks_import(content=content, file_format="csv", actor=actor)
    assert [(e.row, e.column, e.code, e.message) for e in refused.value.errors] == [
        (1, "Priority", "import_invalid", "Unknown column 'Priority'."),
        (1, "colour", "import_invalid", "Unknown column 'colour'."),
    ]


def test_a_value_under_a_blank_heading_is_refused(actor):
    content = csv_file([["title", "category", ""], ["A", "credit", "lost?"], ["B", "credit", ""]])
    assert refusal(content, actor) == [(2, None, "import_invalid")]


def test_a_rating_needs_both_axes(actor):
    content = csv_file([["title", "category", "inherent_likelihood"], ["A", "credit", "3"]])
    with pytest.raises(RowsRejected) as refused:
        risks_import(content=content, file_format="csv", actor=actor)
    (error,) = refused.value.errors
    assert (error.row, error.column, error.code) == (2, "inherent_impact", "invalid")
    assert error.message == "Give inherent_likelihood and inherent_impact together."


def test_a_missing_required_column_is_refused(actor):
    assert refusal(csv_file([["title"], ["A"]]), actor) == [(1, "category", "import_invalid")]


def test_more_rows_than_the_limit_are_refused(actor, monkeypatch):
    monkeypatch.setattr(transfer_import, "MAX_ROWS", 3)
    rows = [["title", "category"], *([f"Risk {n}", "credit"] for n in range(4))]

    assert refusal(csv_file(rows), actor) == [(0, None, "import_invalid")]
    assert len(risks_import(content=csv_file(rows[:4]), file_format="csv", actor=actor)) == 3


def test_a_file_over_the_size_limit_is_refused(actor, monkeypatch):
    monkeypatch.setattr(transfer_import, "MAX_BYTES", 10)
    assert refusal(csv_file([["title", "category"], ["A", "credit"]]), actor) == [
        (0, None, "import_invalid")
    ]


def test_a_broken_xlsx_and_an_empty_file_are_refused(actor):
    assert refusal(b"PK\x03\x04 not really a zip", actor, "xlsx") == [(0, None, "import_invalid")]
    assert refusal(csv_file([["title", "category"], ["", ""]]), actor) == [
        (0, None, "import_invalid")
    ]
