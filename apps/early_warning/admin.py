"""Early warning in the tenant admin. Indicators and rules are added and edited through the
early-warning services; signals are acknowledged, resolved or dismissed by admin actions through
the signal lifecycle. Observations and settings are read-only here."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from apps.core.admin_site import (
    Attention,
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    SettingsAdmin,
    tenant_admin_site,
    tenant_members,
)
from apps.early_warning import models as m
from apps.early_warning.services import indicators as indicator_services
from apps.early_warning.services.signals import signal_transition


def rounded(value: float | None) -> str:
    """Thresholds and values as people read them: four significant digits, no float noise."""
    return "—" if value is None else f"{value:.4g}"


INDICATOR_FIELDS = [
    "code",
    "name",
    "description",
    "category",
    "data_source",
    "unit",
    "direction",
    "frequency_minutes",
    "stale_after_minutes",
    "responsible_ids",
    "threshold_mode",
    "amber",
    "red",
    "dynamic_window",
    "dynamic_amber",
    "dynamic_red",
    "resolve_after_green",
    "is_active",
    "risks",
]


def _indicator_arguments(values: dict) -> dict:
    args = {}
    for name, value in values.items():
        if name == "category":
            args["category_id"] = value.pk
        elif name == "risks":
            args["risk_ids"] = [risk.pk for risk in value]
        else:
            args[name] = value
    return args


class IndicatorAdmin(ServiceModelAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "direction",
        "threshold_mode",
        "amber_display",
        "red_display",
        "frequency_minutes",
        "is_active",
        "last_scanned_at",
    ]
    list_filter = ["is_active", "direction", "threshold_mode", "data_source", "category"]
    search_fields = ["code", "name", "description"]
    list_select_related = ["category"]
    fields = [*INDICATOR_FIELDS, "calibrated_amber", "calibrated_red", "calibrated_at"]
    readonly_fields = ["calibrated_amber", "calibrated_red", "calibrated_at"]
    autocomplete_fields = ["risks"]
    service_fields = {"risk_ids": "risks"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "responsible_ids":  # member ids, picked by e-mail
            return forms.TypedMultipleChoiceField(
                choices=[(user.pk, user.email) for user in tenant_members()],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Responsible people",
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="amber", ordering="amber")
    def amber_display(self, indicator: m.Indicator) -> str:
        return rounded(indicator.thresholds()[0])

    @admin.display(description="red", ordering="red")
    def red_display(self, indicator: m.Indicator) -> str:
        return rounded(indicator.thresholds()[1])

    def service_save(self, request, values, obj):
        return indicator_services.indicator_save(
            indicator_id=obj and obj.pk, **_indicator_arguments(values)
        )


class RuleAdmin(ServiceModelAdmin):
    """A rule's kind is fixed once made (add another rule instead); its parameters are checked
    against the kind's ranges by the service."""

    list_display = ["__str__", "indicator", "kind", "params", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]
    fields = ["indicator", "kind", "params", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["indicator", "kind"] if obj is not None else []

    def service_save(self, request, values, obj):
        if obj is None:
            return indicator_services.rule_save(
                indicator_id=values["indicator"].pk,
                kind=values["kind"],
                params=values.get("params") or {},
                is_active=values.get("is_active", True),
            )
        return indicator_services.rule_save(
            rule_id=obj.pk, params=values.get("params"), is_active=values.get("is_active")
        )


class ObservationAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["indicator", "observed_at", "value_display", "dimensions_key"]
    list_filter = ["indicator"]
    date_hierarchy = "observed_at"
    list_select_related = ["indicator"]
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page

    @admin.display(description="value", ordering="value")
    def value_display(self, observation: m.Observation) -> str:
        return rounded(observation.value)


class DismissForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Why these signals are false positives; kept on each signal.",
    )


class SignalAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "__str__",
        "rule_display",
        "severity",
        "status",
        "observed_display",
        "threshold_display",
        "detail",
        "occurrences",
        "assignee",
        "first_triggered_at",
        "last_triggered_at",
    ]
    list_filter = ["status", "severity", "indicator"]
    search_fields = ["indicator__code", "indicator__name", "detail", "comment"]
    list_select_related = ["indicator", "rule", "assignee"]
    date_hierarchy = "last_triggered_at"
    actions = ["acknowledge", "resolve", "dismiss"]

    # Two rules of one indicator (a threshold and a z-score, say) raise two signals: say which.
    @admin.display(description="rule", ordering="rule__kind")
    def rule_display(self, signal: m.WarningSignal) -> str:
        return signal.rule.get_kind_display()

    @admin.display(description="observed", ordering="observed_value")
    def observed_display(self, signal: m.WarningSignal) -> str:
        return rounded(signal.observed_value)

    @admin.display(description="threshold", ordering="threshold")
    def threshold_display(self, signal: m.WarningSignal) -> str:
        return rounded(signal.threshold)

    def _move(self, request, queryset, to: str, done: str, comment: str = "") -> None:
        self.run_each(
            request,
            queryset,
            lambda signal: signal_transition(
                signal_id=signal.pk, to=to, actor=request.user, comment=comment
            ),
            done=done,
        )

    @admin.action(description="Acknowledge selected signals")
    def acknowledge(self, request, queryset) -> None:
        self._move(request, queryset, m.SignalStatus.ACKNOWLEDGED, "acknowledged")

    @admin.action(description="Resolve selected signals")
    def resolve(self, request, queryset) -> None:
        self._move(request, queryset, m.SignalStatus.RESOLVED, "resolved")

    @admin.action(description="Dismiss selected signals as false positives…")
    def dismiss(self, request, queryset):
        """A dismissal needs a reason: first a page asking for it, then the transition."""
        form = DismissForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._move(
                request,
                queryset,
                m.SignalStatus.DISMISSED,
                "dismissed",
                comment=form.cleaned_data["comment"],
            )
            return None
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/early_warning/warningsignal/dismiss.html",
            {
                **self.admin_site.each_context(request),
                "title": "Dismiss signals as false positives",
                "opts": self.model._meta,
                "signals": queryset,
                "form": form,
                "action": "dismiss",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class WarningSettingsAdmin(SettingsAdmin):
    fields = ["escalate_red_after_minutes"]

    def service_save(self, request, values, obj):
        return indicator_services.settings_update(**values)


for model, model_admin in [
    (m.Indicator, IndicatorAdmin),
    (m.Rule, RuleAdmin),
    (m.Observation, ObservationAdmin),
    (m.WarningSignal, SignalAdmin),
    (m.WarningSettings, WarningSettingsAdmin),
]:
    tenant_admin_site.register(model, model_admin)

tenant_admin_site.add_attention(
    Attention(
        label="Red signals not yet resolved",
        count=lambda: m.WarningSignal.objects.filter(
            severity=m.Severity.RED, status__in=m.LIVE_STATUSES
        ).count(),
        changelist="early_warning_warningsignal_changelist",
        query=lambda: f"severity__exact={m.Severity.RED}&status__in=" + ",".join(m.LIVE_STATUSES),
    )
)
