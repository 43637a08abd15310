"""Assessments in the tenant admin. A dataset is added (or given a new version) by uploading a
file through the same service as the API — the admin takes files larger than an API request
may carry; runs are cancelled or repeated through the run services; results and scorecards are
shown, never edited (a run's results are its record)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.assessments import models as m
from apps.assessments.services import datasets, register, reserve, runs, schedules
from apps.core.admin_site import (
    ReadOnlyTenantInline,
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    tenant_admin_site,
)
from apps.core.tabular import RowsRejected

SHOWN_ERRORS = 20


class DatasetForm(forms.ModelForm):
    file = forms.FileField(
        required=False, help_text="CSV, XLSX or JSON rows: a new version of this dataset."
    )
    file_format = forms.ChoiceField(
        choices=[(f, f.upper()) for f in datasets.FORMATS], initial="csv", label="File format"
    )

    class Meta:
        model = m.Dataset
        fields = ["name", "kind", "description"]


class VersionInline(ReadOnlyTenantInline):
    model = m.DatasetVersion
    fields = ("number", "status", "row_count", "file_format", "created_at")
    readonly_fields = fields
    ordering = ["-number"]


class DatasetAdmin(ServiceModelAdmin):
    form = DatasetForm
    list_display = ["name", "kind", "latest_number", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["name", "kind", "description"] if obj else []

    def service_save(self, request, values, obj):
        upload = values.get("file")
        if upload is None:
            raise ValidationError({"file": "Choose a file to upload."})
        try:
            version = datasets.dataset_upload(
                content=upload.read(),
                file_format=values.get("file_format") or "csv",
                dataset_id=obj.pk if obj else None,
                name=values.get("name", ""),
                kind=values.get("kind", ""),
                description=values.get("description", ""),
                actor=request.user,
            )
        except RowsRejected as rejected:
            shown = [
                f"Row {e.row}{f', {e.column}' if e.column else ''}: {e.message}"
                for e in rejected.errors[:SHOWN_ERRORS]
            ]
            raise ValidationError({"file": shown}) from None
        return version.dataset


class DatasetVersionAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["__str__", "status", "row_count", "file_format", "created_at"]
    list_filter = ["status", "dataset__kind"]
    list_select_related = ["dataset"]
    search_fields = ["dataset__name"]
    exclude = ["columns"]
    readonly_fields = ["columns"]


class FigureInline(ReadOnlyTenantInline):
    model = m.RunFigure
    fields = ("code", "segment", "value")
    readonly_fields = fields


class RunAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["__str__", "kind", "status", "model_version", "seed", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = (
        "kind", "status", "model_version", "seed", "parameters", "loan_book", "positions",
        "returns", "cash_flows", "scenarios", "loan_performance", "scorecard", "risk_ids",
        "limit_bindings", "register_note", "schedule", "period", "error", "started_at",
        "finished_at", "job",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [FigureInline]
    actions = ["cancel", "repeat"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Cancel the selected runs")
    def cancel(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda run: runs.run_cancel(run_id=run.pk, actor=request.user),
            done="cancelled",
        )

    @admin.action(description="Run again with the same inputs, parameters and seed")
    def repeat(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda run: runs.run_repeat(
                run_id=run.pk, actor=request.user, actor_role=request.membership.role
            ),
            done="queued again",
        )


class ScorecardAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "version", "run", "created_at"]
    search_fields = ["name"]


class RegisterMappingAdmin(ServiceModelAdmin):
    """How runs of a kind rate their risks; saved through the service (checked against the
    active matrix)."""

    list_display = ["run_kind", "rating_kind", "likelihood_figure", "impact_figure"]
    fields = [
        "run_kind", "rating_kind", "likelihood_figure", "likelihood_segment", "likelihood_bands",
        "impact_figure", "impact_segment", "impact_bands", "loss_figure", "loss_segment",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return ["run_kind"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return True  # removing a mapping only stops future ratings

    def delete_model(self, request, obj) -> None:
        register.register_mapping_delete(run_kind=obj.run_kind)

    send_unchanged = True  # the service replaces the whole mapping

    def service_save(self, request, values, obj):
        given = {**values, "run_kind": obj.run_kind} if obj else values
        return register.register_mapping_set(**given)


class RunScheduleAdmin(ServiceModelAdmin):
    list_display = ["name", "cadence", "active", "last_period", "last_error"]
    list_filter = ["cadence", "active"]
    fields = ["name", "template", "cadence", "active", "last_period", "last_error"]
    readonly_fields = ["last_period", "last_error"]
    raw_id_fields = ["template"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "template"] if obj else self.readonly_fields

    def service_save(self, request, values, obj):
        if obj is None:
            schedule = schedules.schedule_create(
                name=values.get("name", ""),
                template_id=values["template"].pk if values.get("template") else None,
                cadence=values.get("cadence", ""),
                actor_role=request.membership.role,
            )
            if values.get("active") is False:
                schedule = schedules.schedule_update(schedule_id=schedule.pk, active=False)
            return schedule
        return schedules.schedule_update(
            schedule_id=obj.pk,
            **{k: values[k] for k in ("name", "cadence", "active") if k in values},
        )


class MovementInline(ReadOnlyTenantInline):
    model = m.ReserveMovement
    fields = ("kind", "amount", "status", "reason", "made_by", "decided_by", "balance_after")
    readonly_fields = fields
    ordering = ["-created_at"]


class ReserveFundAdmin(ServiceModelAdmin):
    """A reserve fund; its balance moves only through approved movements (read-only here)."""

    list_display = ["name", "currency", "target", "balance"]
    search_fields = ["name"]
    fields = ["name", "currency", "target", "balance", "description"]
    readonly_fields = ["balance"]
    inlines = [MovementInline]

    def service_save(self, request, values, obj):
        if obj is None:
            return reserve.reserve_fund_create(
                name=values.get("name", ""),
                currency=values.get("currency", ""),
                target=values.get("target"),
                description=values.get("description", ""),
            )
        return reserve.reserve_fund_update(fund_id=obj.pk, **values)


class ReserveMovementAdmin(ServiceModelAdmin):
    """Proposed here (you are the maker) and decided by the actions (a checker other than the
    maker), both through the reserve services."""

    list_display = ["__str__", "fund", "kind", "status", "made_by", "decided_by", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["fund"]
    fields = ["fund", "kind", "amount", "reason"]
    actions = ["approve", "reject"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # proposed once; decided by the actions

    def service_save(self, request, values, obj):
        return reserve.reserve_movement_create(
            fund_id=values["fund"].pk if values.get("fund") else None,
            kind=values.get("kind", ""),
            amount=values.get("amount"),
            reason=values.get("reason", ""),
            actor=request.user,
        )

    def _decide(self, request, queryset, to: str, done: str) -> None:
        role = getattr(getattr(request, "membership", None), "role", None)
        self.run_each(
            request,
            queryset,
            lambda mv: reserve.reserve_movement_transition(
                movement_id=mv.pk, to=to, actor=request.user, actor_role=role
            ),
            done=done,
        )

    @admin.action(description="Approve the selected movements (moves the balance)")
    def approve(self, request, queryset):
        self._decide(request, queryset, m.MovementStatus.APPROVED, "approved")

    @admin.action(description="Reject the selected movements")
    def reject(self, request, queryset):
        self._decide(request, queryset, m.MovementStatus.REJECTED, "rejected")


class ReserveAdequacyAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["fund", "run", "scenario", "stressed_loss", "balance", "coverage_ratio",
                    "shortfall", "assessed_at"]  # fmt: skip
    list_select_related = ["fund", "run"]


for model, model_admin in [
    (m.Dataset, DatasetAdmin),
    (m.DatasetVersion, DatasetVersionAdmin),
    (m.AssessmentRun, RunAdmin),
    (m.Scorecard, ScorecardAdmin),
    (m.RegisterMapping, RegisterMappingAdmin),
    (m.RunSchedule, RunScheduleAdmin),
    (m.ReserveFund, ReserveFundAdmin),
    (m.ReserveMovement, ReserveMovementAdmin),
    (m.ReserveAdequacy, ReserveAdequacyAdmin),
]:
    tenant_admin_site.register(model, model_admin)
