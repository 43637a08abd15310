from datetime import datetime
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.assessments import selectors
from apps.assessments.graphql.enums import DatasetKindEnum, RunKindEnum, RunStatusEnum
from apps.assessments.graphql.ordering import DatasetOrder, RunOrder, ScorecardOrder, VersionOrder
from apps.assessments.graphql.register import RegisterMappingQuery
from apps.assessments.graphql.reserve import ReserveQuery
from apps.assessments.graphql.schedules import ScheduleQuery
from apps.assessments.graphql.types import (
    ComparisonType,
    DatasetType,
    DatasetVersionType,
    FigureChangeType,
    FigureCodeEnum,
    LoanResultType,
    RunType,
    ScorecardType,
)
from apps.assessments.models import AssessmentRun, Dataset
from apps.assessments.quant.credit import GRADE_LABELS
from apps.assessments.services.results import cents_to_money
from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer

LOAN_PAGE_MAX = 100
LOAN_PAGE_DEFAULT = 20
INPUTS = (
    "loan_book",
    "positions",
    "returns",
    "cash_flows",
    "scenarios",
    "loan_performance",
    "scorecard",
)


@strawberry.input(name="AssessmentRunFilter", description="Narrows the run list.")
class RunFilterInput:
    kinds: list[RunKindEnum] | None = strawberry.field(default=None, description="Any of.")
    statuses: list[RunStatusEnum] | None = strawberry.field(default=None, description="Any of.")
    created_from: datetime | None = strawberry.field(default=None, description="At or after.")
    created_before: datetime | None = strawberry.field(default=None, description="Before.")
    risk: relay.GlobalID | None = strawberry.field(default=None, description="Linked to a Risk.")

    def to_filters(self) -> selectors.RunFilters:
        from apps.risks.models import Risk

        return selectors.RunFilters(
            kinds=[k.value for k in self.kinds] if self.kinds else None,
            statuses=[s.value for s in self.statuses] if self.statuses else None,
            created_from=self.created_from,
            created_before=self.created_before,
            risk_id=pk_or_nothing(self.risk, "Risk", Risk),
        )


def _run(gid: relay.GlobalID):
    pk = decode_pk(gid, "AssessmentRun", AssessmentRun)
    return AssessmentRun.objects.filter(pk=pk).first() if pk else None


def _same_inputs(a: AssessmentRun, b: AssessmentRun) -> bool:
    return (
        a.kind == b.kind
        and a.seed == b.seed
        and a.parameters == b.parameters
        and all(getattr(a, f"{n}_id") == getattr(b, f"{n}_id") for n in INPUTS)
    )


@strawberry.type
class AssessmentsQuery(RegisterMappingQuery, ReserveQuery, ScheduleQuery):
    @strawberry_django.connection(
        BoundedConnection[DatasetType],
        permission_classes=[IsViewer],
        description="Datasets, by name or newest first.",
    )
    def assessment_datasets(
        self,
        kind: Annotated[
            DatasetKindEnum | None, strawberry.argument(description="Only this kind.")
        ] = None,
        order_by: Annotated[
            list[DatasetOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="by name")),
        ] = None,
    ) -> list[DatasetType]:
        rows = selectors.datasets(kind.value if kind else None)
        rows = apply_order(rows, order_by, default=selectors.DATASET_ORDER)
        return rows  # type: ignore[return-value]  # the optimizer turns rows into the type

    @strawberry_django.connection(
        BoundedConnection[DatasetVersionType],
        permission_classes=[IsViewer],
        description="Versions of one dataset (or of all), newest first within a dataset.",
    )
    def assessment_dataset_versions(
        self,
        dataset: Annotated[
            relay.GlobalID | None, strawberry.argument(description="An AssessmentDataset id.")
        ] = None,
        order_by: Annotated[
            list[VersionOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="by dataset, newest version first")
            ),
        ] = None,
    ) -> list[DatasetVersionType]:
        rows = selectors.versions(pk_or_nothing(dataset, "AssessmentDataset", Dataset))
        rows = apply_order(rows, order_by, default=selectors.VERSION_ORDER)
        return rows  # type: ignore[return-value]  # the optimizer turns rows into the type

    @strawberry_django.connection(
        BoundedConnection[ScorecardType],
        permission_classes=[IsViewer],
        description="Fitted scorecard versions, by name, newest version first.",
    )
    def scorecards(
        self,
        order_by: Annotated[
            list[ScorecardOrder] | None,
            strawberry.argument(
                description=ORDER_BY_DESCRIPTION.format(default="by name, newest version first")
            ),
        ] = None,
    ) -> list[ScorecardType]:
        rows = selectors.scorecards()
        rows = apply_order(rows, order_by, default=selectors.SCORECARD_ORDER)
        return rows  # type: ignore[return-value]  # the optimizer turns rows into the type

    @strawberry_django.connection(
        BoundedConnection[RunType],
        permission_classes=[IsViewer],
        description="Assessment runs, filtered by kind, status, date or linked risk.",
    )
    def assessment_runs(
        self,
        filter: Annotated[
            RunFilterInput | None, strawberry.argument(description="What to list.")
        ] = None,
        order_by: Annotated[
            list[RunOrder] | None,
            strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default="newest first")),
        ] = None,
    ) -> list[RunType]:
        rows = selectors.runs(filter.to_filters() if filter else None)
        rows = apply_order(rows, order_by, default=selectors.RUN_ORDER)
        return rows  # type: ignore[return-value]  # the optimizer turns rows into the type

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One run; null when none has this id."
    )
    def assessment_run(
        self, id: Annotated[relay.GlobalID, strawberry.argument(description="A run id.")]
    ) -> RunType | None:
        return _run(id)

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Two runs' figures side by side (b − a); null when either is unknown.",
    )
    def assessment_compare(
        self,
        a: Annotated[relay.GlobalID, strawberry.argument(description="An AssessmentRun id.")],
        b: Annotated[relay.GlobalID, strawberry.argument(description="Another one.")],
    ) -> ComparisonType | None:
        first, second = _run(a), _run(b)
        if first is None or second is None:
            return None
        values = [
            {(f.code, f.segment): f.value for f in run.figures.all()} for run in (first, second)
        ]
        keys = sorted(set(values[0]) | set(values[1]))
        changes = []
        for code, segment in keys:
            x, y = values[0].get((code, segment)), values[1].get((code, segment))
            change = y - x if x is not None and y is not None else None
            changes.append(
                FigureChangeType(
                    code=FigureCodeEnum(code), segment=segment, a=x, b=y, change=change
                )
            )
        return ComparisonType(
            a=first,
            b=second,
            same_inputs=_same_inputs(first, second),
            figures=changes,
        )

    @strawberry.field(
        permission_classes=[IsViewer],
        description="Scored loans of a credit run, in the loan book's order (a page).",
    )
    def assessment_loan_results(
        self,
        run: Annotated[relay.GlobalID, strawberry.argument(description="An AssessmentRun id.")],
        offset: Annotated[
            int | None, strawberry.argument(description="Loans to skip; null: none.")
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="At most 100; null: 20.")
        ] = None,
    ) -> list[LoanResultType]:
        offset = 0 if offset is None else offset
        first = LOAN_PAGE_DEFAULT if first is None else first
        if offset < 0:
            raise ApiError("'offset' is zero or more.", "BAD_ARGUMENT", argument="offset")
        if not 0 <= first <= LOAN_PAGE_MAX:
            raise ApiError("'first' is 0 to 100.", "BAD_ARGUMENT", argument="first")
        found = _run(run)
        if found is None:
            return []
        arrays = selectors.run_arrays(found.pk)
        if "loan_id" not in arrays:
            return []
        page = slice(offset, offset + first)
        return [
            LoanResultType(
                loan_id=str(loan),
                score=float(score),
                grade=GRADE_LABELS[int(grade)],
                pd=float(pd),
                expected_loss=cents_to_money(int(cents)),
            )
            for loan, score, grade, pd, cents in zip(
                arrays["loan_id"][page],
                arrays["score"][page],
                arrays["grade"][page],
                arrays["pd"][page],
                arrays["el_cents"][page],
                strict=True,
            )
        ]

    @strawberry.field(
        permission_classes=[IsViewer],
        description="The latest succeeded run of each kind linked to a risk (the register's "
        "quantitative view); empty for an unknown risk.",
    )
    def risk_quantitative_results(
        self, risk: Annotated[relay.GlobalID, strawberry.argument(description="A Risk id.")]
    ) -> list[RunType]:
        from apps.risks.models import Risk

        pk = decode_pk(risk, "Risk", Risk)
        return selectors.latest_runs_for_risk(pk) if pk else []  # type: ignore[return-value]
