"""Tenants (one PostgreSQL schema each) and the host names that lead to them."""

import re

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

SCHEMA_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{2,47}$")
# RFC 1123 labels: letters, digits, hyphens; never underscores (Django rejects those hosts).
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class BusinessModel(models.TextChoices):
    PAYMENT = "payment", "Third-party payment"
    ONLINE_LENDING = "online_lending", "P2P / online lending"
    CONSUMER_FINANCE = "consumer_finance", "Consumer finance and instalments"
    CROWDFUNDING = "crowdfunding", "Crowdfunding"
    WEALTH = "wealth", "Internet wealth and fund sales"
    INSURANCE = "insurance", "Internet insurance"
    SUPPLY_CHAIN = "supply_chain", "Supply-chain finance"
    INTERNET_BANK = "internet_bank", "Internet bank"
    ROBO_ADVISORY = "robo_advisory", "Robo-advisory"
    PLATFORM = "platform", "Platform (public schema)"


class TenantStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


class Tenant(TenantMixin):
    """A customer platform. `schema_name` is fixed at creation and never derived from the name."""

    name = models.CharField(max_length=200)
    business_model = models.CharField(max_length=30, choices=BusinessModel.choices)
    status = models.CharField(
        max_length=12, choices=TenantStatus.choices, default=TenantStatus.ACTIVE, db_index=True
    )
    suspended_reason = models.CharField(max_length=500, blank=True)
    cors_allowed_origins = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Origins of this tenant's own frontends, e.g. https://risk.example.com",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} [{self.schema_name}]"

    @property
    def is_active(self) -> bool:
        return self.status == TenantStatus.ACTIVE

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = (
                type(self).objects.filter(pk=self.pk).values_list("schema_name", flat=True).first()
            )
            if stored is not None and stored != self.schema_name:
                raise ValidationError(
                    {"schema_name": "A tenant's schema name never changes."}, code="immutable"
                )
        super().save(*args, **kwargs)


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
