import base64

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.risks import models as m
from apps.risks import selectors
from apps.risks.graphql import types as t
from apps.risks.graphql.inputs import RiskFilterInput, RiskOrder
from apps.risks.graphql.mutations.transfer import TransferFormat
from apps.risks.selectors import active_matrix, register_settings
from apps.risks.services.transfer_export import risks_export


@strawberry.type(name="ExportedFile")
class ExportedFileType:
    filename: str
    content_type: str
    content_base64: str
    row_count: int


def _filters(filter: RiskFilterInput | None) -> selectors.RiskFilters:
    return filter.to_filters() if filter else selectors.RiskFilters()


@strawberry.type
class RisksQuery:
    @strawberry_django.connection(
        BoundedConnection[t.RiskType],
        permission_classes=[IsViewer],
        description="The register, filtered and ordered.",
    )
    def risks(
        self, filter: RiskFilterInput | None = None, order_by: RiskOrder = RiskOrder.CREATED
    ) -> list[t.RiskType]:
        return selectors.risks(_filters(filter), order_by.value)  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsViewer])
    def risk(self, id: relay.GlobalID) -> t.RiskType | None:
        return m.Risk.objects.filter(pk=decode_pk(id, "Risk", m.Risk)).first()  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="Every cell of the active matrix with its number of risks.",
    )
    def risk_heatmap(
        self,
        kind: t.AssessmentKindEnum = t.AssessmentKindEnum.INHERENT,  # type: ignore[attr-defined]
        filter: RiskFilterInput | None = None,
    ) -> list[t.HeatmapCellType]:
        return [
            t.HeatmapCellType(
                likelihood=c.likelihood, impact=c.impact, level=c.level, count=c.count
            )
            for c in selectors.heatmap(kind=kind.value, filters=_filters(filter))
        ]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="Counts by category × level, and the level trend by month.",
    )
    def risk_summary(self, months: int = 12) -> t.RiskSummaryType:
        if not 1 <= months <= 36:
            raise ApiError("'months' is 1 to 36.", "BAD_ARGUMENT", argument="months")
        by_category = [
            t.CategoryLevelCountsType(
                category=row["category"],
                counts=[
                    t.LevelCountType(level=level, count=n)
                    for level, n in sorted(row["counts"].items())
                ],
            )
            for row in selectors.counts_by_category_and_level()
        ]
        trend = [
            t.LevelTrendPointType(
                date=point["date"],
                counts=[
                    t.LevelCountType(level=level, count=n) for level, n in point["counts"].items()
                ],
            )
            for point in selectors.level_trend(months=months)
        ]
        return t.RiskSummaryType(by_category=by_category, trend=trend)

    @strawberry_django.connection(
        BoundedConnection[t.RiskCategoryType], permission_classes=[IsViewer]
    )
    def risk_categories(self) -> list[t.RiskCategoryType]:
        return m.RiskCategory.objects.order_by("path")  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsViewer], description="The matrix in force.")
    def risk_matrix(self) -> t.RiskMatrixType:
        return active_matrix()  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.RiskMatrixType],
        permission_classes=[IsViewer],
        description="Every version, newest first.",
    )
    def risk_matrices(self) -> list[t.RiskMatrixType]:
        return m.RiskMatrix.objects.order_by("-version")  # type: ignore[return-value]

    @strawberry_django.connection(BoundedConnection[t.ControlType], permission_classes=[IsViewer])
    def controls(self, search: str | None = None) -> list[t.ControlType]:
        controls = m.Control.objects.order_by("name", "id")
        if search:
            controls = controls.filter(name__icontains=search.strip())
        return controls  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.RiskAppetiteType], permission_classes=[IsViewer]
    )
    def risk_appetites(self) -> list[t.RiskAppetiteType]:
        return m.RiskAppetite.objects.order_by("category__path")  # type: ignore[return-value]

    @strawberry_django.connection(BoundedConnection[t.RiskLimitType], permission_classes=[IsViewer])
    def risk_limits(self) -> list[t.RiskLimitType]:
        return m.RiskLimit.objects.order_by("name", "id")  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The filtered register as a file (same columns as the import).",
    )
    def risk_export(
        self,
        format: TransferFormat,
        filter: RiskFilterInput | None = None,
        order_by: RiskOrder = RiskOrder.CREATED,
    ) -> ExportedFileType:
        exported = risks_export(
            queryset=selectors.risks(_filters(filter), order_by.value), file_format=format.value
        )
        return ExportedFileType(
            filename=exported.filename,
            content_type=exported.content_type,
            content_base64=base64.b64encode(exported.content).decode(),
            row_count=exported.row_count,
        )

    @strawberry_django.field(permission_classes=[IsViewer])
    def register_settings(self) -> t.RegisterSettingsType:
        return register_settings()  # type: ignore[return-value]
