"""How a tenant sets the register up, in the tenant admin: categories, matrices (read-only:
versions are made and switched through the API), appetite, limits and settings — each written
through the configuration services."""

from apps.core.admin_site import (
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    SettingsAdmin,
    tenant_admin_site,
)
from apps.risks import models as m
from apps.risks.services import configuration


class CategoryAdmin(ServiceModelAdmin):
    """Codes and the position in the tree are identifiers: set once, at creation."""

    list_display = ["path", "name_en", "name_zh", "seeded"]
    search_fields = ["code", "name_en", "name_zh"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["code", "parent", "name_en", "name_zh", "description"]
        return ["code", "path", "parent", "name_en", "name_zh", "description", "seeded"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "path", "parent", "seeded"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is None:
            parent = values.pop("parent", None)
            return configuration.category_create(**values, parent_id=parent and parent.pk)
        return configuration.category_update(category_id=obj.pk, **values)


class MatrixAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["name", "version", "is_active", "activated_at"]


class AppetiteAdmin(ServiceModelAdmin):
    """Set per category through `appetite_set`, which re-flags the risks above appetite."""

    list_display = ["category", "max_level", "statement"]
    list_select_related = ["category"]
    fields = ["category", "max_level", "statement"]
    send_unchanged = True

    def get_readonly_fields(self, request, obj=None):
        return ["category"] if obj is not None else []

    def service_save(self, request, values, obj):
        category = values["category"] if obj is None else obj.category
        return configuration.appetite_set(
            category_id=category.pk,
            max_level=values["max_level"],
            statement=values.get("statement", ""),
        )


class LimitAdmin(ServiceModelAdmin):
    list_display = ["name", "cap", "current_value", "unit", "utilisation", "breached"]
    search_fields = ["name"]
    list_select_related = ["category", "risk"]
    fields = ["name", "category", "risk", "unit", "cap", "current_value", "warning_ratio"]
    autocomplete_fields = ["risk"]
    send_unchanged = True

    def service_save(self, request, values, obj):
        category, risk = values.pop("category"), values.pop("risk")
        return configuration.limit_save(
            limit_id=obj and obj.pk,
            category_id=category and category.pk,
            risk_id=risk and risk.pk,
            **values,
        )


class RegisterSettingsAdmin(SettingsAdmin):
    fields = ["review_cadence_days", "residual_steps", "acceptance_max_days", "daily_run_on"]
    readonly_fields = ["daily_run_on"]

    def service_save(self, request, values, obj):
        return configuration.settings_update(**values)


for model, model_admin in [
    (m.RiskCategory, CategoryAdmin),
    (m.RiskMatrix, MatrixAdmin),
    (m.RiskAppetite, AppetiteAdmin),
    (m.RiskLimit, LimitAdmin),
    (m.RegisterSettings, RegisterSettingsAdmin),
]:
    tenant_admin_site.register(model, model_admin)
