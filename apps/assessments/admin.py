"""Assessments in the tenant admin. A dataset is added (or given a new version) by uploading a
file through the same service as the API — the admin takes files larger than an API request
may carry; runs are cancelled or repeated through the run services; results and scorecards are
shown, never edited (a run's results are its record)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.assessments import models as m
from apps.assessments.services import datasets, runs
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
    fields = ["number", "status", "row_count", "file_format", "created_at"]
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
    fields = ["code", "segment", "value"]
    readonly_fields = fields


class RunAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["__str__", "kind", "status", "model_version", "seed", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind", "status", "model_version", "seed", "parameters", "loan_book", "positions",
        "returns", "cash_flows", "scenarios", "scorecard", "risk_ids", "error", "started_at",
        "finished_at", "job",
    ]  # fmt: skip
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
            lambda run: runs.run_repeat(run_id=run.pk, actor=request.user),
            done="queued again",
        )


class ScorecardAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "version", "run", "created_at"]
    search_fields = ["name"]


for model, model_admin in [
    (m.Dataset, DatasetAdmin),
    (m.DatasetVersion, DatasetVersionAdmin),
    (m.AssessmentRun, RunAdmin),
    (m.Scorecard, ScorecardAdmin),
]:
    tenant_admin_site.register(model, model_admin)
