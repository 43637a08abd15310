"""Emergency plans in the tenant admin. Every write goes through the services: plans and the
set-up are edited here; versions are moved along their lifecycle by actions (their content is
edited through the API: a draft's lists are too rich for a form); activations, their tasks,
roles and timeline, and drills are shown read-only under their parent."""

from django.contrib import admin

from apps.core.admin_site import (
    ReadOnlyTenantInline,
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    tenant_admin_site,
    user_id,
)
from apps.emergency import models as m
from apps.emergency.services import activations, plans, setup


class ScenarioAdmin(ServiceModelAdmin):
    list_display = ["code", "name", "builtin"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "description"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request, values, obj):
        return setup.scenario_create(actor=request.user, **values)


class SeverityLevelAdmin(ServiceModelAdmin):
    list_display = ["code", "name", "rank", "regulator_report_hours"]
    fields = ["code", "name", "rank", "regulator_report_hours"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "rank"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is None:
            return setup.level_create(**values)
        return setup.level_update(level_id=obj.pk, **values)


class VersionInline(ReadOnlyTenantInline):
    model = m.PlanVersion
    fields = ["number", "status", "author", "approved_by", "approved_at"]
    readonly_fields = fields  # type: ignore[assignment]
    show_change_link = True


def holder_label(holder) -> str:
    """A holder for people: a Person as the directory names them, a member as "name (member)"."""
    if holder is None:
        return "—"
    if hasattr(holder, "employee_number"):
        return str(holder)
    return f"{holder.full_name or holder.email} (member)"


class PlanAdmin(ServiceModelAdmin):
    list_display = ["code", "name", "scenario", "owned_by", "review_due_on", "template"]
    list_filter = ["scenario", "template"]
    list_select_related = ["scenario", "owner", "owner_person"]
    search_fields = ["code", "name"]
    fields = [
        "code",
        "name",
        "scenario",
        "owner",
        "owner_person",
        "review_cycle_months",
        "drill_cadence_months",
        "review_due_on",
    ]
    readonly_fields = ["review_due_on"]
    inlines = [VersionInline]
    actions = ["start_draft"]

    @admin.display(description="owner")
    def owned_by(self, obj):
        return holder_label(obj.owned_by)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "code"] if obj is not None else self.readonly_fields

    def service_save(self, request, values, obj):
        for name in ("scenario", "owner", "owner_person"):
            if name in values:
                value = values.pop(name)
                if name == "owner":
                    values["owner_id"] = user_id(value)
                else:
                    values[f"{name}_id"] = value.pk if value is not None else None
        if obj is None:
            return plans.plan_create(actor=request.user, **values)
        return plans.plan_update(plan_id=obj.pk, actor=request.user, **values)

    @admin.action(description="Start a new draft (a copy of the newest version)")
    def start_draft(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda plan: plans.version_new_draft(plan_id=plan.pk, actor=request.user),
            done="got a new draft",
        )


class StepInline(ReadOnlyTenantInline):
    model = m.PlanStep
    fields = [
        "position",
        "phase",
        "action",
        "responsible_role",
        "time_target_minutes",
        "depends_on",
    ]
    readonly_fields = fields  # type: ignore[assignment]


class RoleInline(ReadOnlyTenantInline):
    model = m.PlanRole
    fields = ["role", "holder", "backup_holder"]
    readonly_fields = fields  # type: ignore[assignment]

    @admin.display(description="holder")
    def holder(self, obj):
        return holder_label(obj.holder)

    @admin.display(description="backup")
    def backup_holder(self, obj):
        return holder_label(obj.backup_holder)


class TriggerInline(ReadOnlyTenantInline):
    model = m.PlanTrigger
    fields = ["kind", "indicator", "category", "rule", "severity", "level", "automatic"]
    readonly_fields = fields  # type: ignore[assignment]


class PlanVersionAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["plan", "number", "status", "author", "approved_by", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["plan", "author", "approved_by"]
    search_fields = ["plan__code", "plan__name"]
    inlines = [RoleInline, StepInline, TriggerInline]
    actions = ["submit", "approve", "retire"]

    def _move(self, request, queryset, to: str, done: str) -> None:
        role = getattr(getattr(request, "membership", None), "role", "admin")
        self.run_each(
            request,
            queryset,
            lambda version: plans.version_transition(
                version_id=version.pk, to=to, actor=request.user, actor_role=role
            ),
            done=done,
        )

    @admin.action(description="Submit for review")
    def submit(self, request, queryset):
        self._move(request, queryset, m.VersionStatus.IN_REVIEW, "submitted")

    @admin.action(description="Approve (not your own)")
    def approve(self, request, queryset):
        self._move(request, queryset, m.VersionStatus.APPROVED, "approved")

    @admin.action(description="Retire")
    def retire(self, request, queryset):
        self._move(request, queryset, m.VersionStatus.RETIRED, "retired")


class TaskInline(ReadOnlyTenantInline):
    model = m.ActivationTask
    fields = ["position", "action", "assigned_to", "due_at", "status", "skip_reason"]
    readonly_fields = fields  # type: ignore[assignment]

    @admin.display(description="assigned to")
    def assigned_to(self, obj):
        return holder_label(obj.assigned_to)


class ActivationRoleInline(ReadOnlyTenantInline):
    model = m.ActivationRole
    fields = ["role", "holder", "started_at", "ended_at"]
    readonly_fields = fields  # type: ignore[assignment]

    @admin.display(description="holder")
    def holder(self, obj):
        return holder_label(obj.holder)


class TimelineInline(ReadOnlyTenantInline):
    model = m.TimelineEvent
    fields = ["at", "kind", "text", "actor", "pinned"]
    readonly_fields = fields  # type: ignore[assignment]


class ReportInline(ReadOnlyTenantInline):
    model = m.RegulatorReport
    fields = ["level", "due_at", "submitted_at", "reference"]
    readonly_fields = fields  # type: ignore[assignment]


class ActivationAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["title", "plan", "level", "status", "source", "declared_at", "closed_at"]
    list_filter = ["status", "source", "level"]
    list_select_related = ["plan", "level"]
    search_fields = ["title", "plan__code"]
    date_hierarchy = "declared_at"
    exclude = ["risk_ids"]
    inlines = [ActivationRoleInline, TaskInline, ReportInline, TimelineInline]
    actions = ["stabilise"]

    @admin.action(description="Mark stabilised")
    def stabilise(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda a: activations.activation_transition(
                activation_id=a.pk, to=m.ActivationStatus.STABILISED, actor=request.user
            ),
            done="stabilised",
        )


class FindingInline(ReadOnlyTenantInline):
    model = m.DrillFinding
    fields = ["title", "severity", "owner", "due_on", "status", "control"]
    readonly_fields = fields  # type: ignore[assignment]


class StepTimingInline(ReadOnlyTenantInline):
    model = m.DrillStepTiming
    fields = [
        "position",
        "action",
        "target_minutes",
        "started_minutes",
        "finished_minutes",
    ]
    readonly_fields = fields  # type: ignore[assignment]


class DrillAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["plan", "kind", "scheduled_on", "status", "result", "held_on"]
    list_filter = ["status", "result", "kind"]
    list_select_related = ["plan"]
    search_fields = ["plan__code", "scenario"]
    date_hierarchy = "scheduled_on"
    inlines = [StepTimingInline, FindingInline]


for model, model_admin in [
    (m.Scenario, ScenarioAdmin),
    (m.SeverityLevel, SeverityLevelAdmin),
    (m.Plan, PlanAdmin),
    (m.PlanVersion, PlanVersionAdmin),
    (m.Activation, ActivationAdmin),
    (m.Drill, DrillAdmin),
]:
    tenant_admin_site.register(model, model_admin)
