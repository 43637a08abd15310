import base64
from typing import Annotated

import strawberry
import strawberry_django
from strawberry import relay

from apps.core.graphql.ids import decode_pk, pk_or_nothing
from apps.core.graphql.pagination import BoundedConnection
from apps.core.graphql.permissions import IsViewer
from apps.emergency import models as m
from apps.emergency.graphql.enums import ReportFormatEnum
from apps.emergency.graphql.inputs import (
    ActivationFilterInput,
    ActivationOrder,
    DrillFilterInput,
    DrillOrder,
    PlanFilterInput,
    PlanOrder,
)
from apps.emergency.graphql.nested import ListOrder
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


def _ordered(rows, order_by: ListOrder):
    return rows.reverse() if order_by == ListOrder.REVERSE else rows


@strawberry.type
class EmergencyQuery:
    @strawberry_django.connection(
        BoundedConnection[ScenarioType],
        permission_classes=[IsViewer],
        description="Emergency scenarios (seeded and the tenant's own), by code.",
    )
    def emergency_scenarios(
        self, order_by: Annotated[ListOrder, _arg("By code, or reversed.")] = ListOrder.NATURAL
    ) -> list[ScenarioType]:
        return _ordered(lists.scenarios(), order_by)

    @strawberry_django.connection(
        BoundedConnection[SeverityLevelType],
        permission_classes=[IsViewer],
        description="Severity levels, most severe first.",
    )
    def severity_levels(
        self,
        order_by: Annotated[ListOrder, _arg("Most severe first, or reversed.")] = (
            ListOrder.NATURAL
        ),
    ) -> list[SeverityLevelType]:
        return _ordered(lists.levels(), order_by)

    @strawberry_django.connection(
        BoundedConnection[PlanType],
        permission_classes=[IsViewer],
        description="Emergency plans, filtered and ordered.",
    )
    def emergency_plans(
        self,
        filter: Annotated[PlanFilterInput | None, _arg("What to list.")] = None,
        order_by: Annotated[PlanOrder, _arg("Sort order.")] = PlanOrder.CODE,
    ) -> list[PlanType]:
        filters = filter.to_filters() if filter else None
        return lists.plans(filters, str(order_by.value))

    @strawberry_django.field(
        permission_classes=[IsViewer], description="One plan; null when none has this id."
    )
    def emergency_plan(
        self, id: Annotated[relay.GlobalID, _arg("An EmergencyPlan id.")]
    ) -> PlanType | None:
        pk = decode_pk(id, "EmergencyPlan", m.Plan)
        return m.Plan.objects.filter(pk=pk).first() if pk else None  # type: ignore[return-value]

    @strawberry_django.connection(
        BoundedConnection[ActivationType],
        permission_classes=[IsViewer],
        description="Activations (incidents), filtered and ordered.",
    )
    def activations(
        self,
        filter: Annotated[ActivationFilterInput | None, _arg("What to list.")] = None,
        order_by: Annotated[ActivationOrder, _arg("Sort order.")] = ActivationOrder.DECLARED,
    ) -> list[ActivationType]:
        filters = filter.to_filters() if filter else None
        return lists.activations(filters, str(order_by.value))  # type: ignore[return-value]

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
        order_by: Annotated[DrillOrder, _arg("Sort order.")] = DrillOrder.SCHEDULED,
    ) -> list[DrillType]:
        plan_id = pk_or_nothing(filter.plan, "EmergencyPlan", m.Plan) if filter else None
        status = filter.status.value if filter and filter.status else None
        return lists.drills(plan_id=plan_id, status=status, order=str(order_by.value))  # type: ignore[return-value]

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
