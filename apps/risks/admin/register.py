"""The register's day-to-day records in the tenant admin: risks, controls, treatment actions,
acceptances and reviews. Adds and edits go through the register's services; status changes are
admin actions through the one transition function; assessments are read-only (recorded through
the API, append-only)."""

from django.contrib import admin

from apps.core.admin_site import (
    Attention,
    ReadOnlyTenantInline,
    ReadOnlyTenantModelAdmin,
    ServiceModelAdmin,
    tenant_admin_site,
)
from apps.risks import models as m
from apps.risks import selectors
from apps.risks.services import acceptance as acceptance_services
from apps.risks.services import assessments, controls, register, reviews

RISK_DERIVED = [
    "inherent_level",
    "inherent_score",
    "residual_level",
    "residual_score",
    "current_level",
    "above_appetite",
    "residual_proposal",
    "next_review_at",
    "last_reviewed_at",
    "review_flag",
    "created_at",
    "updated_at",
]


ASSESSMENT_COLUMNS: list[str] = [
    "assessed_at",
    "kind",
    "method",
    "likelihood",
    "impact",
    "level",
    "expected_loss",
    "rationale",
]


class AssessmentInline(ReadOnlyTenantInline):
    model = m.RiskAssessment
    fields = [*ASSESSMENT_COLUMNS]
    readonly_fields = ASSESSMENT_COLUMNS
    ordering = ["-assessed_at"]


ACTION_COLUMNS: list[str] = ["title", "owner", "due_date", "status"]


class ActionInline(ReadOnlyTenantInline):
    model = m.TreatmentAction
    fields = [*ACTION_COLUMNS]
    readonly_fields = ACTION_COLUMNS


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(selectors.overdue_filter())
        return queryset


def _risk_arguments(values: dict) -> dict:
    args = {}
    for name, value in values.items():
        if name == "category":
            args["category_id"] = value.pk
        elif name == "owner":
            args["owner_id"] = value.pk if value is not None else None  # a Person
        elif name == "related_risks":
            args["related_risk_ids"] = [risk.pk for risk in value]
        else:
            args[name] = value
    return args


class RiskAdmin(ServiceModelAdmin):
    list_display = [
        "reference_display",
        "title",
        "category",
        "status",
        "inherent_level",
        "residual_level",
        "above_appetite",
        "next_review_at",
        "owner",
    ]
    list_filter = [
        "status",
        ReviewDueFilter,
        "current_level",
        "above_appetite",
        "category",
        "source",
        "treatment_strategy",
    ]
    search_fields = ["title", "description", "causes", "consequences", "tags"]
    list_select_related = ["category", "owner"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["related_risks", "owner"]  # owners: people, by name or number
    inlines = [AssessmentInline, ActionInline]
    service_fields = {"related_risk_ids": "related_risks"}
    actions = ["make_open", "start_treatment", "close_risks", "record_review", "apply_residual"]

    def get_fields(self, request, obj=None):
        editable = [
            "title",
            "category",
            "description",
            "business_line",
            "causes",
            "consequences",
            "source",
            "owner",
            "department",
            "treatment_strategy",
            "tags",
            "related_risks",
        ]
        if obj is None:
            return [*editable[:2], "status", *editable[2:]]
        return ["reference_display", *editable[:2], "status", *editable[2:], *RISK_DERIVED]

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the actions (the transition function), never by editing.
        return ["reference_display", "status", *RISK_DERIVED] if obj is not None else []

    @admin.display(description="reference", ordering="number")
    def reference_display(self, risk: m.Risk) -> str:
        return risk.reference or "-"

    def get_search_results(self, request, queryset, search_term):
        # "R-0042" (or "r42") finds that risk, besides the words of its texts.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        number = selectors.reference_number(search_term)
        if number:
            found = found | queryset.filter(number=number)
        return found, duplicates

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":  # a new risk is a draft or open
            kwargs["choices"] = [
                (m.RiskStatus.DRAFT, m.RiskStatus.DRAFT.label),
                (m.RiskStatus.OPEN, m.RiskStatus.OPEN.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def service_save(self, request, values, obj):
        args = _risk_arguments(values)
        if obj is None:
            return register.risk_create(actor=request.user, **args)
        return register.risk_update(risk_id=obj.pk, actor=request.user, **args)

    def _transition(self, request, queryset, to: str, done: str) -> None:
        self.run_each(
            request,
            queryset,
            lambda risk: register.risk_transition(risk_id=risk.pk, to=to, actor=request.user),
            done=done,
        )

    @admin.action(description="Open selected risks")
    def make_open(self, request, queryset) -> None:
        self._transition(request, queryset, m.RiskStatus.OPEN, "opened")

    @admin.action(description="Start treatment of selected risks")
    def start_treatment(self, request, queryset) -> None:
        self._transition(request, queryset, m.RiskStatus.IN_TREATMENT, "in treatment")

    @admin.action(description="Close selected risks")
    def close_risks(self, request, queryset) -> None:
        self._transition(request, queryset, m.RiskStatus.CLOSED, "closed")

    @admin.action(description="Record a review of selected risks (sets the next review date)")
    def record_review(self, request, queryset) -> None:
        self.run_each(
            request,
            queryset,
            lambda risk: reviews.review_record(
                risk_id=risk.pk, actor=request.user, notes="Reviewed in the admin."
            ),
            done="reviewed",
        )

    @admin.action(description="Apply the proposed residual rating of selected risks")
    def apply_residual(self, request, queryset) -> None:
        self.run_each(
            request,
            queryset,
            lambda risk: assessments.residual_apply_proposal(risk_id=risk.pk, actor=request.user),
            done="re-rated",
        )


def _control_arguments(values: dict) -> dict:
    args = {}
    for name, value in values.items():
        if name == "owner":
            args["owner_id"] = value.pk if value is not None else None  # a Person
        elif name == "risks":
            args["risk_ids"] = [risk.pk for risk in value]
        else:
            args[name] = value
    return args


class ControlAdmin(ServiceModelAdmin):
    list_display = ["name", "control_type", "kind", "effectiveness", "last_tested_at", "owner"]
    list_filter = ["control_type", "kind", "effectiveness"]
    search_fields = ["name", "description"]
    list_select_related = ["owner"]
    fields = [
        "name",
        "description",
        "control_type",
        "kind",
        "owner",
        "frequency",
        "last_tested_at",
        "effectiveness",
        "effectiveness_changed_at",
        "risks",
    ]
    readonly_fields = ["effectiveness_changed_at"]
    autocomplete_fields = ["risks", "owner"]
    service_fields = {"risk_ids": "risks"}

    def service_save(self, request, values, obj):
        return controls.control_save(control_id=obj and obj.pk, **_control_arguments(values))


ACTION_FIELDS = ["risk", "title", "description", "owner", "due_date", "control"]


def _action_arguments(values: dict) -> dict:
    args = {}
    for name, value in values.items():
        if name in ("risk", "control", "owner"):
            args[f"{name}_id"] = value.pk if value is not None else None
        else:
            args[name] = value
    return args


class ActionAdmin(ServiceModelAdmin):
    list_display = ["title", "risk", "status", "due_date", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "risk__title"]
    list_select_related = ["risk", "owner"]
    autocomplete_fields = ["risk", "owner"]
    actions = ["start", "complete", "cancel"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ACTION_FIELDS
        return [*ACTION_FIELDS, "status", "completed_at"]

    def get_readonly_fields(self, request, obj=None):
        # The risk is fixed once the action exists; a status change is checked by the service.
        return ["risk", "completed_at"] if obj is not None else []

    def service_save(self, request, values, obj):
        args = _action_arguments(values)
        if obj is None:
            return controls.action_create(**args)
        return controls.action_update(action_id=obj.pk, **args)

    def _move(self, request, queryset, to: str, done: str) -> None:
        self.run_each(
            request,
            queryset,
            lambda action: controls.action_update(action_id=action.pk, status=to),
            done=done,
        )

    @admin.action(description="Start selected actions")
    def start(self, request, queryset) -> None:
        self._move(request, queryset, m.ActionStatus.IN_PROGRESS, "started")

    @admin.action(description="Mark selected actions done")
    def complete(self, request, queryset) -> None:
        self._move(request, queryset, m.ActionStatus.DONE, "done")

    @admin.action(description="Cancel selected actions")
    def cancel(self, request, queryset) -> None:
        self._move(request, queryset, m.ActionStatus.CANCELLED, "cancelled")


class AcceptanceAdmin(ReadOnlyTenantModelAdmin):
    """Requested through the API; decided here (approve / reject) through the same service."""

    list_display = [
        "risk",
        "status",
        "requested_by",
        "requested_expires_at",
        "decided_by",
        "expires_at",
        "void_reason",
    ]
    list_filter = ["status"]
    search_fields = ["risk__title", "justification"]
    list_select_related = ["risk", "requested_by", "decided_by"]
    exclude = ["snapshot"]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, approve: bool, done: str) -> None:
        self.run_each(
            request,
            queryset,
            lambda acceptance: acceptance_services.acceptance_decide(
                acceptance_id=acceptance.pk,
                actor=request.user,
                actor_role=request.membership.role,
                approve=approve,
                comment=f"{done.capitalize()} in the admin.",
            ),
            done=done,
        )

    @admin.action(description="Approve selected acceptance requests")
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, True, "approved")

    @admin.action(description="Reject selected acceptance requests")
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, False, "rejected")


class ReviewAdmin(ReadOnlyTenantModelAdmin):
    list_display = ["risk", "reviewed_at", "level_at_review", "next_review_at", "reviewer"]
    list_select_related = ["risk", "reviewer"]


for model, model_admin in [
    (m.Risk, RiskAdmin),
    (m.Control, ControlAdmin),
    (m.TreatmentAction, ActionAdmin),
    (m.RiskAcceptance, AcceptanceAdmin),
    (m.RiskReview, ReviewAdmin),
]:
    tenant_admin_site.register(model, model_admin)

tenant_admin_site.add_attention(
    Attention(
        label="Risks overdue for review",
        count=lambda: m.Risk.objects.filter(selectors.overdue_filter()).count(),
        changelist="risks_risk_changelist",
        query=lambda: "review=overdue",
    )
)
tenant_admin_site.add_attention(
    Attention(
        label="Acceptances waiting for a decision",
        count=lambda: m.RiskAcceptance.objects.filter(status=m.AcceptanceStatus.REQUESTED).count(),
        changelist="risks_riskacceptance_changelist",
        query=lambda: f"status__exact={m.AcceptanceStatus.REQUESTED}",
    )
)
