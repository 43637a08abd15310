"""Early warning in the tenant admin: looked at and searched here, changed through the API."""

from apps.core.admin_site import ReadOnlyTenantModelAdmin, tenant_admin_site
from apps.early_warning import models as m


class IndicatorAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "direction",
        "threshold_mode",
        "amber",
        "red",
        "frequency_minutes",
        "is_active",
        "last_scanned_at",
    ]
    list_filter = ["is_active", "direction", "threshold_mode", "data_source", "category"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["category"]


class RuleAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["indicator", "kind", "params", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["indicator"]


class ObservationAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["indicator", "observed_at", "value", "dimensions_key"]
    list_filter = ["indicator"]
    date_hierarchy = "observed_at"
    list_select_related = ["indicator"]
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page


class SignalAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "indicator",
        "severity",
        "status",
        "observed_value",
        "threshold",
        "occurrences",
        "first_triggered_at",
        "last_triggered_at",
    ]
    list_filter = ["status", "severity", "indicator"]
    search_fields = ["indicator__code", "indicator__name", "detail", "comment"]
    list_select_related = ["indicator"]
    date_hierarchy = "last_triggered_at"


for model, model_admin in [
    (m.Indicator, IndicatorAdmin),
    (m.Rule, RuleAdmin),
    (m.Observation, ObservationAdmin),
    (m.WarningSignal, SignalAdmin),
    (m.WarningSettings, ReadOnlyTenantModelAdmin),
]:
    tenant_admin_site.register(model, model_admin)
