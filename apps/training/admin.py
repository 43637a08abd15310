"""Training in the tenant admin. Every save goes through the services; records and
exemptions are added here but never edited (a correction is a new record); nothing is deleted.
Audiences and linked categories are picked by name, not typed as ids."""

from django import forms
from django.db import models

from apps.accounts.roles import Role
from apps.core.admin_site import ServiceModelAdmin, SettingsAdmin, tenant_admin_site, user_id
from apps.people.selectors import departments, people
from apps.risks.selectors import categories
from apps.training import models as m
from apps.training.selectors import training_settings
from apps.training.services import courses, owners, records, requirements
from apps.training.services.settings import settings_update


def _https_by_default(field: models.Field, **kwargs) -> forms.Field | None:
    """A URL typed without a scheme is read as https:// (Django 6's default, and no warning)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class CourseForm(forms.ModelForm):
    risk_categories = forms.ModelMultipleChoiceField(
        categories(), required=False, label="Linked risk categories"
    )

    class Meta:
        model = m.Course
        fields = [
            "code",
            "title_zh",
            "title_en",
            "topic",
            "format",
            "duration_minutes",
            "pass_score",
            "validity_months",
            "grace_days",
            "materials_url",
            "active",
        ]
        formfield_callback = _https_by_default

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            self.initial["risk_categories"] = self.instance.risk_category_ids


class CourseAdmin(ServiceModelAdmin):
    form = CourseForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "title", "topic", "format", "validity_months", "version", "active"]
    list_filter = ["topic", "format", "active"]
    search_fields = ["code", "title_zh", "title_en"]
    readonly_fields = ["version", "requires_retraining_since"]
    fields = [
        "code",
        "title_zh",
        "title_en",
        "topic",
        "format",
        "duration_minutes",
        "pass_score",
        "validity_months",
        "grace_days",
        "materials_url",
        "risk_categories",
        "active",
        "version",
        "requires_retraining_since",
    ]
    service_fields = {"risk_category_ids": "risk_categories"}

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "code"] if obj is not None else self.readonly_fields

    def service_save(self, request, values, obj):
        if "risk_categories" in values:
            values["risk_category_ids"] = [c.pk for c in values.pop("risk_categories")]
        if obj is None:
            return courses.course_create(actor=request.user, **values)
        return courses.course_update(course_id=obj.pk, actor=request.user, **values)


class RequirementForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        departments(), required=False, help_text="Sub-departments included."
    )
    people = forms.ModelMultipleChoiceField(people(), required=False)
    # not `job_roles`: the admin would hand the text to the model's array field
    roles = forms.CharField(
        required=False, label="Job roles", help_text="Role codes, comma-separated."
    )
    members = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        label="Member roles",
        help_text="People linked to a member account with one of these roles.",
    )

    class Meta:
        model = m.Requirement
        fields = ["course", "first_due_days", "recurrence", "recurrence_months", "active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            self.initial["departments"] = self.instance.department_ids
            self.initial["people"] = self.instance.person_ids
            self.initial["roles"] = ", ".join(self.instance.job_roles)
            self.initial["members"] = self.instance.member_roles


class RequirementAdmin(ServiceModelAdmin):
    form = RequirementForm
    list_display = ["__str__", "course", "first_due_days", "recurrence", "active"]
    list_filter = ["recurrence", "active"]
    list_select_related = ["course"]
    fields = [
        "course",
        "departments",
        "roles",
        "members",
        "people",
        "first_due_days",
        "recurrence",
        "recurrence_months",
        "active",
    ]
    service_fields = {
        "department_ids": "departments",
        "person_ids": "people",
        "job_roles": "roles",
        "member_roles": "members",
    }

    def get_readonly_fields(self, request, obj=None):
        return ["course"] if obj is not None else []

    def service_save(self, request, values, obj):
        if "departments" in values:
            values["department_ids"] = [d.pk for d in values.pop("departments")]
        if "people" in values:
            values["person_ids"] = [p.pk for p in values.pop("people")]
        if "roles" in values:
            values["job_roles"] = [r for r in values.pop("roles").split(",") if r.strip()]
        if "members" in values:
            values["member_roles"] = list(values.pop("members"))
        if obj is None:
            course = values.pop("course")
            return requirements.requirement_create(
                course_id=course.pk, actor=request.user, **values
            )
        return requirements.requirement_update(requirement_id=obj.pk, actor=request.user, **values)


class RecordAdmin(ServiceModelAdmin):
    list_display = ["course", "person", "completed_at", "score", "passed", "expires_on", "source"]
    list_filter = ["passed", "source", "course"]
    search_fields = ["person__full_name", "person__employee_number", "course__code"]
    list_select_related = ["course", "person"]
    date_hierarchy = "completed_at"
    fields = [
        "person",
        "course",
        "completed_at",
        "attended",
        "score",
        "passed",
        "certificate_number",
        "source",
        "expires_on",
    ]
    readonly_fields = ["expires_on"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request, values, obj):
        person, course = values.pop("person"), values.pop("course")
        return records.record_create(
            person_id=person.pk, course_id=course.pk, actor=request.user, **values
        )


class ExemptionAdmin(ServiceModelAdmin):
    list_display = ["course", "person", "approved_by", "valid_from", "valid_until"]
    list_select_related = ["course", "person", "approved_by"]
    search_fields = ["person__full_name", "course__code", "reason"]
    fields = ["person", "course", "reason", "approved_by", "valid_from", "valid_until"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def service_save(self, request, values, obj):
        person, course = values.pop("person"), values.pop("course")
        return records.exemption_grant(
            person_id=person.pk,
            course_id=course.pk,
            reason=values["reason"],
            approved_by_id=user_id(values.get("approved_by")),
            valid_from=values.get("valid_from"),
            valid_until=values.get("valid_until"),
            actor=request.user,
        )


class TrainingOwnerAdmin(ServiceModelAdmin):
    list_display = ["department", "person"]
    list_select_related = ["department", "person"]
    search_fields = ["department__code", "person__full_name"]
    fields = ["department", "person"]

    def service_save(self, request, values, obj):
        department = values.get("department") or (obj.department if obj else None)
        person = values.get("person") or (obj.person if obj else None)
        return owners.owner_set(
            department_id=department.pk if department else None,
            person_id=person.pk if person else None,
            actor=request.user,
        )


class TrainingSettingsAdmin(SettingsAdmin):
    fields = ["due_soon_days", "reminder_days"]

    def get_queryset(self, request):
        training_settings()  # the row exists before the list shows it
        return super().get_queryset(request)

    def service_save(self, request, values, obj):
        return settings_update(actor=request.user, **values)


for model, model_admin in [
    (m.Course, CourseAdmin),
    (m.Requirement, RequirementAdmin),
    (m.TrainingRecord, RecordAdmin),
    (m.Exemption, ExemptionAdmin),
    (m.TrainingSettings, TrainingSettingsAdmin),
    (m.TrainingOwner, TrainingOwnerAdmin),
]:
    tenant_admin_site.register(model, model_admin)

from apps.training import admin_outreach  # noqa: E402, F401  (sessions, campaigns, reminders)
