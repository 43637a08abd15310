import base64
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.errors import ApiError
from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.ordering import ORDER_BY_DESCRIPTION, apply_order
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.emergency import models as m
from apps.emergency.graphql import orders as o
from apps.emergency.graphql.enums import ReportFormatEnum
from apps.emergency.graphql.inputs import ActivationFilterInput, DrillFilterInput, PlanFilterInput
from apps.emergency.graphql.types import PlanType, ScenarioType, SeverityLevelType
from apps.emergency.graphql.types_response import ActivationType, DrillType
from apps.emergency.selectors import lists, reports
from apps.emergency.services.report_files import report_file
from apps.risks.graphql.types_summary import ExportedFileType


def _arg(description: str):
    return strawberry.argument(description=description)


def _file(report, file_format: ReportFormatEnum) -> ExportedFileType | None:
    if report is None:
        return None
    written = report_file(report, str(file_format.value))
    return ExportedFileType(
        filename=written.filename,
        content_type=written.content_type,
        content_base64=base64.b64encode(written.content).decode(),
        row_count=written.row_count,
    )


def _order(default: str):
    return strawberry.argument(description=ORDER_BY_DESCRIPTION.format(default=default))


@strawberry.type
class EmergencyQuery:
    @strawberry_django.connection(
        BoundedConnection[ScenarioType],
        permission_classes=[IsViewer],
        description="Emergency scenarios (seeded and the tenant's own), by code.",
    )
    def emergency_scenarios(
        self, order_by: Annotated[list[o.ScenarioOrder] | None, _order("by code")] = None
    ) -> list[ScenarioType]:
        return apply_order(lists.scenarios(), order_by, default=("code",))  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[SeverityLevelType],
        permission_classes=[IsViewer],
        description="Severity levels, most severe first.",
    )
    def severity_levels(
        self,
        order_by: Annotated[
            list[o.SeverityLevelOrder] | None, _order("most severe (rank 1) first")
        ] = None,
    ) -> list[SeverityLevelType]:
        return apply_order(lists.levels(), order_by, default=("rank",))  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[PlanType],
        permission_classes=[IsViewer],
        description="Emergency plans, filtered and ordered.",
    )
    def emergency_plans(
        self,
        filter: Annotated[PlanFilterInput | None, _arg("What to list.")] = None,
        order_by: Annotated[list[o.PlanOrder] | None, _order("by code")] = None,
    ) -> list[PlanType]:
        filters = filter.to_filters() if filter else None
        return apply_order(lists.plans(filters), order_by, default=("code",))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="One plan by its id or its code (give one); null when none has it.",
    )
    def emergency_plan(
        self,
        id: Annotated[relay.GlobalID | None, _arg("An EmergencyPlan id.")] = None,
        code: Annotated[str | None, _arg("Its code, e.g. system_outage.")] = None,
    ) -> PlanType | None:
        if (id is None) == (code is None):
            raise ApiError("Give `id` or `code`, not both.", "BAD_ARGUMENT", argument="id")
        if id is not None:
            pk = decode_pk(id, "EmergencyPlan", m.Plan)
            return m.Plan.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]
        return lists.plan_by_code(code or "")  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ActivationType],
        permission_classes=[IsViewer],
        description="Activations (incidents), filtered and ordered.",
    )
    def activations(
        self,
        filter: Annotated[ActivationFilterInput | None, _arg("What to list.")] = None,
        order_by: Annotated[list[o.ActivationOrder] | None, _order("latest declared first")] = None,
    ) -> list[ActivationType]:
        filters = filter.to_filters() if filter else None
        rows = lists.activations(filters)
        default = ("-declared_at", "-id")
        return apply_order(rows, order_by, default=default, columns=o.LEVEL_RANK)  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One activation; null when none has this id."
    )
    def activation(
        self, id: Annotated[relay.GlobalID, _arg("An Activation id.")]
    ) -> ActivationType | None:
        pk = decode_pk(id, "Activation", m.Activation)
        return m.Activation.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[DrillType],
        permission_classes=[IsViewer],
        description="Drills, filtered and ordered.",
    )
    def drills(
        self,
        filter: Annotated[DrillFilterInput | None, _arg("What to list.")] = None,
        order_by: Annotated[list[o.DrillOrder] | None, _order("latest date first")] = None,
    ) -> list[DrillType]:
        plan_id = pk_or_nothing(filter.plan, "EmergencyPlan", m.Plan) if filter else None
        status = filter.status.value if filter and filter.status else None
        rows = lists.drills(plan_id=plan_id, status=status)
        return apply_order(rows, order_by, default=("-scheduled_on", "-id"))  # type: ignore[return-value]

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The event report (事件报告) of an activation as a file: overview (time, "
        "place, amounts, nature), timeline, tasks with due/done and the late ones, roles, "
        "communications and their deadlines, regulator reports met or missed, evaluation (root "
        "cause, lessons, follow-up). `rowCount`: table rows written. Null when no activation "
        "has this id.",
    )
    def activation_report(
        self,
        id: Annotated[relay.GlobalID, _arg("An Activation id.")],
        format: Annotated[ReportFormatEnum, _arg("PDF or XLSX.")],
    ) -> ExportedFileType | None:
        pk = decode_pk(id, "Activation", m.Activation)
        return _file(reports.activation_report(pk) if pk else None, format)

    @strawberry_django.field(
        permission_classes=[IsViewer],
        description="The report of a drill as a file: overview, success criteria met or not, "
        "per-step timings against their targets (late ones flagged), findings. Null when no "
        "drill has this id.",
    )
    def drill_report(
        self,
        id: Annotated[relay.GlobalID, _arg("A Drill id.")],
        format: Annotated[ReportFormatEnum, _arg("PDF or XLSX.")],
    ) -> ExportedFileType | None:
        pk = decode_pk(id, "Drill", m.Drill)
        return _file(reports.drill_report(pk) if pk else None, format)
