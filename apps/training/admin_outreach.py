"""Sessions (with their enrolments, read-only), customer-education campaigns and the reminder
log in the tenant admin; writes go through the services."""

from django import forms
from django.contrib import admin
from django.db import models

from apps.core.admin_site import (
    ReadOnlyTenantInline,
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    tenant_admin_site,
)
from apps.risks.selectors import categories
from apps.training import models as m
from apps.training.services import campaigns, sessions


class EnrolmentInline(ReadOnlyTenantInline):
    model = m.Enrolment
    fields = ("person", "status", "queued_at", "record")
    readonly_fields = fields


class SessionAdmin(ServiceModelAdmin):
    list_display = ["course", "starts_at", "instructor", "location", "capacity", "status"]
    list_filter = ["status", "course"]
    list_select_related = ["course"]
    date_hierarchy = "starts_at"
    fields = [
        "course",
        "starts_at",
        "ends_at",
        "instructor",
        "location",
        "online_url",
        "capacity",
        "status",
    ]
    readonly_fields = ["status"]
    inlines = [EnrolmentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["cancel_sessions"]

    def get_readonly_fields(self, request, obj=None):
        return ["course", "status"] if obj is not None else ["status"]

    def service_save(self, request, values, obj):
        if obj is None:
            course = values.pop("course")
            return sessions.session_create(course_id=course.pk, actor=request.user, **values)
        return sessions.session_update(session_id=obj.pk, actor=request.user, **values)

    @admin.action(description="Cancel the selected sessions")
    def cancel_sessions(self, request, queryset):
        self.run_each(
            request,
            queryset,
            lambda s: sessions.session_cancel(session_id=s.pk, actor=request.user),
            done="cancelled",
        )


class CampaignForm(forms.ModelForm):
    risk_categories = forms.ModelMultipleChoiceField(
        categories(), required=False, label="Linked risk categories"
    )

    class Meta:
        model = m.EducationCampaign
        fields = [
            "code",
            "title",
            "topic",
            "segment",
            "channel",
            "starts_on",
            "ends_on",
            "planned_reach",
            "reached",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            self.initial["risk_categories"] = self.instance.risk_category_ids


class CampaignAdmin(ServiceModelAdmin):
    form = CampaignForm
    list_display = ["code", "title", "topic", "segment", "channel", "starts_on", "ends_on"]
    list_filter = ["topic", "segment", "channel"]
    search_fields = ["code", "title"]
    fields = [*CampaignForm.Meta.fields, "risk_categories"]
    service_fields = {"risk_category_ids": "risk_categories"}

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def service_save(self, request, values, obj):
        if "risk_categories" in values:
            values["risk_category_ids"] = [c.pk for c in values.pop("risk_categories")]
        if obj is None:
            return campaigns.campaign_create(actor=request.user, **values)
        return campaigns.campaign_update(campaign_id=obj.pk, actor=request.user, **values)


class ReminderLogAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["kind", "person", "course", "about_on", "offset_days", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["person", "course"]
    search_fields = ["person__full_name", "person__employee_number", "course__code"]


class CampaignReachAdmin(ReadOnlyTenantModelAdmin):
    """Ingested by campaignReachImport (a channel's export); read here."""

    list_display = ["campaign", "period_start", "period_end", "impressions", "learners"]
    list_select_related = ["campaign"]
    search_fields = ["campaign__code", "campaign__title"]


for model, model_admin in [
    (m.TrainingSession, SessionAdmin),
    (m.EducationCampaign, CampaignAdmin),
    (m.ReminderLog, ReminderLogAdmin),
    (m.CampaignReach, CampaignReachAdmin),
]:
    tenant_admin_site.register(model, model_admin)
