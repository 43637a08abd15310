import base64
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry.types import Info

from apps.accounts import selectors as accounts
from apps.accounts.models import User
from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.risks import models as m
from apps.risks import selectors
from apps.risks.graphql import types as t
from apps.risks.graphql import types_summary as s
from apps.risks.graphql.enums import AssessmentKindEnum
from apps.risks.graphql.inputs import (
    AcceptanceFilterInput,
    ActionFilterInput,
    CategoryFilterInput,
    RiskFilterInput,
)
from apps.risks.graphql.mutations.transfer import TransferFormat
from apps.risks.graphql.order_inputs import (
    ACCEPTANCES,
    ACTIONS,
    APPETITES,
    CATEGORIES,
    CONTROLS,
    LIMITS,
    MATRICES,
    RISKS,
)
from apps.risks.graphql.types_setup import RegisterSettingsType
from apps.risks.levels import RiskLevel
from apps.risks.selectors import work
from apps.risks.selectors.ordering import sort_keys
from apps.risks.services.assessments import residual_proposal
from apps.risks.services.transfer_export import risks_export

ID_ARG = strawberry.argument(description="Its global id.")
FILTER = strawberry.argument(description="Conditions, all of which must hold; none: every row.")


def _viewer_id(info: Info):
    """The viewer's user id, for `mine` (owned by the person linked to the viewer)."""
    return getattr(info.context.request.user, "pk", None)


def _filters(filter: RiskFilterInput | None, info: Info) -> selectors.RiskFilters:
    return filter.to_filters(_viewer_id(info)) if filter else selectors.RiskFilters()


def _order(sorting):
    return Annotated[
        list[sorting.input] | None,  # type: ignore[name-defined]
        strawberry.argument(
            description=f"Sort keys, the first one first; the id breaks ties. Null or empty: "
            f"{sorting.default_text}."
        ),
    ]


# The `orderBy` argument of each root list: built at run time from its sorting; to the type
# checker, any value (the resolvers hand it to `Sorting.order`).
if TYPE_CHECKING:
    RisksOrderBy = Any
    ActionsOrderBy = Any
    AcceptancesOrderBy = Any
    CategoriesOrderBy = Any
    MatricesOrderBy = Any
    ControlsOrderBy = Any
    AppetitesOrderBy = Any
    LimitsOrderBy = Any
else:
    RisksOrderBy = _order(RISKS)
    ActionsOrderBy = _order(ACTIONS)
    AcceptancesOrderBy = _order(ACCEPTANCES)
    CategoriesOrderBy = _order(CATEGORIES)
    MatricesOrderBy = _order(MATRICES)
    ControlsOrderBy = _order(CONTROLS)
    AppetitesOrderBy = _order(APPETITES)
    LimitsOrderBy = _order(LIMITS)


def _risk(gid: relay.GlobalID) -> m.Risk | None:
    pk = decode_pk(gid, "Risk", m.Risk)
    return m.Risk.objects.filter(pk=pk).first() if pk is not None else None


def _decider_role(info: Info, filter: AcceptanceFilterInput | None) -> str | None:
    if filter is None or filter.decider is None:
        return None
    user_id = decode_pk(filter.decider, "User", User)
    if user_id is None:
        return None
    membership = accounts.members(tenant=info.context.request.tenant).filter(user_id=user_id)
    return membership.values_list("role", flat=True).first()


def _level_counts(counts: dict) -> list[s.LevelCountType]:
    ranked = [level for level in RiskLevel.values if level in counts]
    levels = ranked + (["unassessed"] if "unassessed" in counts else [])
    return [
        s.LevelCountType(level=None if level == "unassessed" else level, count=counts[level])  # type: ignore[arg-type]
        for level in levels
    ]


@strawberry.type
class RisksQuery:
    @strawberry_django.connection(
        BoundedConnection[t.RiskType],
        permission_classes=[IsViewer],
        description="The register (archived risks only when asked), filtered and sorted.",
    )
    def risks(
        self,
        info: Info,
        filter: Annotated[RiskFilterInput | None, FILTER] = None,
        order_by: RisksOrderBy = None,
    ) -> list[t.RiskType]:
        return selectors.risks(_filters(filter, info), RISKS.order(order_by))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="A risk by id or by its reference, e.g. R-0042 (give one; archived ones "
        "too); null if none.",
    )
    def risk(
        self,
        id: Annotated[relay.GlobalID | None, ID_ARG] = None,
        reference: Annotated[
            str | None, strawberry.argument(description="Its reference, e.g. R-0042.")
        ] = None,
    ) -> t.RiskType | None:
        if (id is None) == (reference is None):
            raise ApiError("Give `id` or `reference`, not both.", "BAD_ARGUMENT", argument="id")
        if id is not None:
            return _risk(id)  # type: ignore[return-value]
        number = selectors.reference_number(reference)  # type: ignore[arg-type]
        return m.Risk.objects.filter(number=number).first() if number else None  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="Every cell of the active matrix with its number of risks. A cell's risks: "
        "`risks(filter: {inherentLikelihood, inherentImpact})` (residual… for RESIDUAL).",
    )
    def risk_heatmap(
        self,
        info: Info,
        kind: Annotated[
            AssessmentKindEnum | None,
            strawberry.argument(description="Which rating places a risk; null: INHERENT."),
        ] = None,
        filter: Annotated[RiskFilterInput | None, FILTER] = None,
    ) -> list[s.HeatmapCellType]:
        kind = kind or AssessmentKindEnum.INHERENT
        return [
            s.HeatmapCellType(
                likelihood=c.likelihood, impact=c.impact, level=RiskLevel(c.level), count=c.count
            )
            for c in selectors.heatmap(kind=kind.value, filters=_filters(filter, info))
        ]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="Counts of the filtered register by category × level, and its level trend.",
    )
    def risk_summary(
        self,
        info: Info,
        months: Annotated[
            int | None, strawberry.argument(description="Months of trend, 1 to 36; null: 12.")
        ] = None,
        filter: Annotated[RiskFilterInput | None, FILTER] = None,
    ) -> s.RiskSummaryType:
        months = 12 if months is None else months
        if not 1 <= months <= 36:
            raise ApiError("'months' is 1 to 36.", "BAD_ARGUMENT", argument="months")
        filters = _filters(filter, info)
        rows = selectors.counts_by_category_and_level(filters)
        categories = {c.code: c for c in selectors.categories(codes=[r["category"] for r in rows])}
        by_category = [
            s.CategoryLevelCountsType(
                category=categories[row["category"]],
                counts=_level_counts(row["counts"]),
            )
            for row in rows
        ]
        trend = [
            s.LevelTrendPointType(date=point["date"], counts=_level_counts(point["counts"]))
            for point in selectors.level_trend(months=months, filters=filters)
        ]
        return s.RiskSummaryType(by_category=by_category, trend=trend)

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The residual rating the linked controls justify now (the daily run's rule), "
        "for a preview; null when the risk is unknown or has no inherent rating.",
    )
    def residual_proposal(
        self, risk: Annotated[relay.GlobalID, strawberry.argument(description="A Risk id.")]
    ) -> t.RatingType | None:
        found = _risk(risk)
        rating = residual_proposal(risk=found) if found else None
        if rating is None:
            return None
        return t.RatingType(
            likelihood=rating.likelihood,
            impact=rating.impact,
            score=rating.score,
            level=RiskLevel(rating.level),
        )

    @strawberry_django.connection(
        BoundedConnection[t.TreatmentActionType],
        permission_classes=[IsViewer],
        description="Treatment actions across the register (archived risks left out).",
    )
    def actions(
        self,
        info: Info,
        filter: Annotated[ActionFilterInput | None, FILTER] = None,
        order_by: ActionsOrderBy = None,
    ) -> list[t.TreatmentActionType]:
        filters = filter.to_filters(_viewer_id(info)) if filter else None
        return work.actions(filters, ACTIONS.order(order_by))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="How many (filtered) actions have each status: one row per status.",
    )
    def action_counts(
        self, info: Info, filter: Annotated[ActionFilterInput | None, FILTER] = None
    ) -> list[s.ActionStatusCountType]:
        counts = work.action_counts(filter.to_filters(_viewer_id(info)) if filter else None)
        return [s.ActionStatusCountType(status=k, count=n) for k, n in counts.items()]  # type: ignore[arg-type]

    @strawberry_django.connection(
        BoundedConnection[t.RiskAcceptanceType],
        permission_classes=[IsViewer],
        description="Acceptances across the register (archived risks left out).",
    )
    def acceptances(
        self,
        info: Info,
        filter: Annotated[AcceptanceFilterInput | None, FILTER] = None,
        order_by: AcceptancesOrderBy = None,
    ) -> list[t.RiskAcceptanceType]:
        filters = filter.to_filters(_decider_role(info, filter)) if filter else None
        return work.acceptances(filters, ACCEPTANCES.order(order_by))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="How many (filtered) acceptances have each status: one row per status.",
    )
    def acceptance_counts(
        self, info: Info, filter: Annotated[AcceptanceFilterInput | None, FILTER] = None
    ) -> list[s.AcceptanceStatusCountType]:
        filters = filter.to_filters(_decider_role(info, filter)) if filter else None
        counts = work.acceptance_counts(filters)
        return [s.AcceptanceStatusCountType(status=k, count=n) for k, n in counts.items()]  # type: ignore[arg-type]

    @strawberry_django.connection(
        BoundedConnection[t.RiskCategoryType],
        permission_classes=[IsViewer],
        description="The taxonomy.",
    )
    def risk_categories(
        self,
        filter: Annotated[CategoryFilterInput | None, FILTER] = None,
        order_by: CategoriesOrderBy = None,
    ) -> list[t.RiskCategoryType]:
        codes = filter.codes if filter else None
        return selectors.categories(codes=codes, order=CATEGORIES.order(order_by))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="A category by its code; null if none."
    )
    def risk_category(
        self, code: Annotated[str, strawberry.argument(description="e.g. credit.")]
    ) -> t.RiskCategoryType | None:
        return selectors.category_by_code(code)  # type: ignore[return-value]

    @strawberry_django.field(permission_classes=[IsViewer], description="The matrix in force.")
    def risk_matrix(self) -> t.RiskMatrixType:
        return selectors.active_matrix()  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.RiskMatrixType],
        permission_classes=[IsViewer],
        description="Every matrix version.",
    )
    def risk_matrices(self, order_by: MatricesOrderBy = None) -> list[t.RiskMatrixType]:
        return m.RiskMatrix.objects.order_by(*sort_keys(MATRICES.order(order_by), MATRICES.keys))  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.ControlType],
        permission_classes=[IsViewer],
        description="Controls (archived ones only when asked).",
    )
    def controls(
        self,
        search: Annotated[str | None, strawberry.argument(description="Words in the name.")] = None,
        archived: Annotated[
            bool | None,
            strawberry.argument(description="Archived (true), in use (false, default), or both."),
        ] = False,
        order_by: ControlsOrderBy = None,
    ) -> list[t.ControlType]:
        return work.controls(  # type: ignore[return-value]
            search=search or "", archived=archived, order=CONTROLS.order(order_by)
        )

    @strawberry_django.connection(
        BoundedConnection[t.RiskAppetiteType],
        permission_classes=[IsViewer],
        description="Appetite per category.",
    )
    def risk_appetites(self, order_by: AppetitesOrderBy = None) -> list[t.RiskAppetiteType]:
        keys = sort_keys(APPETITES.order(order_by), APPETITES.keys)
        return m.RiskAppetite.objects.order_by(*keys)  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[t.RiskLimitType], permission_classes=[IsViewer], description="Limits."
    )
    def risk_limits(self, order_by: LimitsOrderBy = None) -> list[t.RiskLimitType]:
        return m.RiskLimit.objects.order_by(*sort_keys(LIMITS.order(order_by), LIMITS.keys))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The filtered register as a file in the columns the import reads; its `id` "
        "column holds global ids, so the file edited and imported again updates those risks.",
    )
    def risk_export(
        self,
        info: Info,
        format: Annotated[TransferFormat, strawberry.argument(description="CSV or XLSX.")],
        filter: Annotated[RiskFilterInput | None, FILTER] = None,
        order_by: RisksOrderBy = None,
    ) -> s.ExportedFileType:
        exported = risks_export(
            queryset=selectors.risks(_filters(filter, info), RISKS.order(order_by)),
            file_format=str(format.value),
        )
        return s.ExportedFileType(
            filename=exported.filename,
            content_type=exported.content_type,
            content_base64=base64.b64encode(exported.content).decode(),
            row_count=exported.row_count,
        )

    @strawberry_django.field(permission_classes=[IsViewer], description="The register's rules.")
    def register_settings(self) -> RegisterSettingsType:
        return selectors.register_settings()  # type: ignore[return-value]
