"""The register in the tenant admin. Writes with rules behind them (assessments, acceptance,
matrices) stay read-only here: they go through the API's services."""

from django.contrib import admin

from apps.core.admin_site import ReadOnlyTenantModelAdmin, TenantModelAdmin, tenant_admin_site
from apps.risks import models as m


class AssessmentInline(admin.TabularInline):
    model = m.RiskAssessment
    extra = 0
    fields = [
        "assessed_at",
        "kind",
        "method",
        "likelihood",
        "impact",
        "level",
        "expected_loss",
        "rationale",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-assessed_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ActionInline(admin.TabularInline):
    model = m.TreatmentAction
    extra = 0
    fields = ["title", "owner_id", "due_date", "status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RiskAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "title",
        "category",
        "status",
        "inherent_level",
        "residual_level",
        "above_appetite",
        "next_review_at",
        "owner_id",
    ]
    list_filter = [
        "status",
        "current_level",
        "above_appetite",
        "category",
        "source",
        "treatment_strategy",
    ]
    search_fields = ["title", "description", "causes", "consequences", "tags"]
    list_select_related = ["category"]
    date_hierarchy = "created_at"
    inlines = [AssessmentInline, ActionInline]


class CategoryAdmin(TenantModelAdmin):
    list_display = ["path", "name_en", "name_zh", "seeded"]
    search_fields = ["code", "name_en", "name_zh"]
    readonly_fields = ["code", "path", "parent", "seeded"]

    def has_add_permission(self, request) -> bool:
        return False  # categoryCreate keeps codes and paths consistent

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MatrixAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "version", "is_active", "activated_at"]


class ControlAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "control_type", "kind", "effectiveness", "last_tested_at", "owner_id"]
    list_filter = ["control_type", "kind", "effectiveness"]
    search_fields = ["name", "description"]


class ActionAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["title", "risk", "status", "due_date", "owner_id"]
    list_filter = ["status"]
    search_fields = ["title", "risk__title"]
    list_select_related = ["risk"]


class AcceptanceAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "risk",
        "status",
        "requested_by_id",
        "decided_by_id",
        "expires_at",
        "void_reason",
    ]
    list_filter = ["status"]
    search_fields = ["risk__title", "justification"]
    list_select_related = ["risk"]


class AppetiteAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["category", "max_level", "statement"]


class LimitAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "cap", "current_value", "unit", "utilisation", "breached"]
    search_fields = ["name"]


class ReviewAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["risk", "reviewed_at", "level_at_review", "next_review_at", "reviewer_id"]
    list_select_related = ["risk"]


for model, model_admin in [
    (m.Risk, RiskAdmin),
    (m.RiskCategory, CategoryAdmin),
    (m.RiskMatrix, MatrixAdmin),
    (m.Control, ControlAdmin),
    (m.TreatmentAction, ActionAdmin),
    (m.RiskAcceptance, AcceptanceAdmin),
    (m.RiskAppetite, AppetiteAdmin),
    (m.RiskLimit, LimitAdmin),
    (m.RiskReview, ReviewAdmin),
    (m.RegisterSettings, ReadOnlyTenantModelAdmin),
]:
    tenant_admin_site.register(model, model_admin)
