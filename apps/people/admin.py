"""The directory in the tenant admin. Every save goes through the services: the forms below
call them and show their refusals on the fields they concern. Nothing is deleted here."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Membership, User
from apps.core.admin_site import TenantModelAdmin, tenant_admin_site
from apps.core.schemas import tenant_connection
from apps.people.models import Department, Person
from apps.people.services import departments, people

# Service argument → form field.
FORM_FIELDS = {
    "department_id": "department",
    "parent_id": "parent",
    "head_id": "head",
    "manager_id": "manager",
    "user_id": "user",
}


class ServiceForm(forms.ModelForm):
    """A ModelForm whose validation *is* the service call: the admin never saves on its own."""

    def call_service(self, data: dict, actor):
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:
            return
        data = {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}
        try:
            with transaction.atomic():
                self.instance = self.call_service(data, getattr(self, "actor", None))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # keyed by field; None: the whole input
                by_field: dict[Any, list] = exc.error_dict
            else:
                by_field = {None: exc.error_list}
            for field, errors in by_field.items():
                name = FORM_FIELDS.get(field, field)
                self.add_error(name if name in self.fields else None, errors)

    @staticmethod
    def pk(obj):
        return obj.pk if obj is not None else None


class DepartmentForm(ServiceForm):
    class Meta:
        model = Department
        fields = ["code", "name_zh", "name_en", "parent", "head", "active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # (a new row has its UUID already)
            self.fields["code"].disabled = True  # codes are permanent

    def call_service(self, data: dict, actor) -> Department:
        refs = {"parent_id": self.pk(data["parent"]), "head_id": self.pk(data["head"])}
        names = {"name_zh": data["name_zh"] or "", "name_en": data["name_en"] or ""}
        if self.instance._state.adding:
            created = departments.department_create(code=data["code"], actor=actor, **names, **refs)
            if not data["active"]:
                return departments.department_deactivate(department_id=created.pk, actor=actor)
            return created
        return departments.department_update(
            department_id=self.instance.pk, actor=actor, active=data["active"], **names, **refs
        )


PERSON_FIELDS = [
    "employee_number",
    "full_name",
    "department",
    "job_role",
    "job_title",
    "email",
    "phone",
    "manager",
    "active",
    "hired_on",
    "left_on",
    "user",
]


class PersonForm(ServiceForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Users live in `public`: offer only this tenant's members, never the whole platform.
        members = Membership.objects.filter(tenant__schema_name=tenant_connection().schema_name)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            pk__in=members.values("user_id")
        ).order_by("email")

    def call_service(self, data: dict, actor) -> Person:
        fields = {
            "employee_number": data["employee_number"],
            "full_name": data["full_name"],
            "department_id": self.pk(data["department"]),
            "manager_id": self.pk(data["manager"]),
            "user_id": self.pk(data["user"]),
            "active": data["active"],
            "hired_on": data["hired_on"],
            "left_on": data["left_on"],
            **{text: data[text] or "" for text in ("job_role", "job_title", "email", "phone")},
        }
        if self.instance._state.adding:
            return people.person_create(actor=actor, **fields)
        return people.person_update(person_id=self.instance.pk, actor=actor, **fields)


class ServiceAdmin(TenantModelAdmin):
    """The form has saved through the service already; the admin only logs and redirects."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form: Any = super().get_form(request, obj, change=change, **kwargs)  # made per request
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change) -> None:
        pass

    def save_related(self, request, form, formsets, change) -> None:
        pass

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: records elsewhere keep their names


@admin.action(description="Deactivate selected departments")
def deactivate_departments(modeladmin, request, queryset) -> None:
    _each(
        request,
        queryset,
        lambda d: departments.department_deactivate(department_id=d.pk, actor=request.user),
    )


@admin.action(description="Deactivate selected people (left today)")
def deactivate_people(modeladmin, request, queryset) -> None:
    _each(request, queryset, lambda p: people.person_deactivate(person_id=p.pk, actor=request.user))


def _each(request, queryset, call) -> None:
    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                call(obj)
            done += 1
        except ValidationError as exc:
            reasons = "; ".join(str(m) for m in exc.messages)
            messages.error(request, f"{obj}: {reasons}")
    if done:
        messages.success(request, f"{done} deactivated.")


class DepartmentAdmin(ServiceAdmin):
    form = DepartmentForm
    list_display = ["path", "name_zh", "name_en", "head", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_zh", "name_en"]
    list_select_related = ["head"]
    autocomplete_fields = ["parent", "head"]
    actions = [deactivate_departments]


class PersonAdmin(ServiceAdmin):
    form = PersonForm
    list_display = ["employee_number", "full_name", "department", "job_title", "manager", "active"]
    list_filter = ["active", "department", "job_role"]
    search_fields = ["employee_number", "full_name", "email"]
    list_select_related = ["department", "manager"]
    autocomplete_fields = ["department", "manager"]
    actions = [deactivate_people]


tenant_admin_site.register(Department, DepartmentAdmin)
tenant_admin_site.register(Person, PersonAdmin)
