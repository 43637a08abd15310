"""The tenant's organisation: a tree of departments and the people in them.

Most people never log in; a person may be linked to a member user. Nothing here is deleted:
departments and people are deactivated, so training records and plan roles keep their names.
"""

from django.db import models
from django.db.models import Q

from apps.core.models import TenantModel, UserRef


class Department(TenantModel):
    """A node of the organisation. `code` is permanent; `path` makes subtree queries one filter."""

    code = models.SlugField(max_length=60, unique=True, help_text="Permanent identifier.")
    name_zh = models.CharField("name (Chinese)", max_length=120, blank=True)
    name_en = models.CharField("name (English)", max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(
        max_length=1000, db_index=True, editable=False, help_text="Codes from the root, '/'."
    )
    head = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments_headed",
    )
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="", name_en=""), name="department_has_a_name"
            )
        ]

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Person(TenantModel):
    """Someone on the staff list, whether or not they have an account."""

    employee_number = models.CharField(max_length=40, unique=True)
    full_name = models.CharField("name", max_length=120)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    job_role = models.SlugField(
        max_length=40, blank=True, help_text="Short code, e.g. risk_officer.", allow_unicode=False
    )
    job_title = models.CharField(max_length=120, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    active = models.BooleanField(default=True, db_index=True)
    hired_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    user = UserRef(null=True, blank=True, help_text="The member account of this person, if any.")

    class Meta:
        ordering = ["full_name", "employee_number"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(hired_on__isnull=True)
                | Q(left_on__gte=models.F("hired_on")),
                name="person_left_after_hired",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="person_one_per_user"
            ),
        ]
        indexes = [models.Index(fields=["job_role"], name="person_job_role")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"
