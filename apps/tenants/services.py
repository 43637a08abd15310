"""Provisioning and lifecycle of tenants. One call makes a whole tenant, or nothing."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from apps.accounts import services as accounts
from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core.lifecycle import Change, Lifecycle, transition
from apps.core.schemas import tenant_connection
from apps.core.validation import fits_column
from apps.tenants.errors import TenantErrorCode as Code
from apps.tenants.models import (
    HOSTNAME_RE,
    SCHEMA_NAME_RE,
    BusinessModel,
    Domain,
    Tenant,
    TenantStatus,
)
from apps.tenants.seeding import run_seeders
from apps.tenants.spares import refill_after_commit, spare_claim
from apps.tenants.template import schema_clone, template_ensure, template_schema

RESERVED_SCHEMAS = {"public", "information_schema"}


@dataclass(frozen=True)
class ProvisionedTenant:
    tenant: Tenant
    domain: Domain
    admin: User
    invite_code: str | None


def _clean_domain(hostname: str) -> str:
    hostname = hostname.strip().lower()
    if not HOSTNAME_RE.match(hostname):
        raise ValidationError(
            {
                "domain": ValidationError(
                    "A host name has letters, digits, dots and hyphens only (no underscores).",
                    code=Code.DOMAIN_INVALID.value,
                )
            }
        )
    if Domain.objects.filter(domain=hostname).exists():
        raise ValidationError(
            {"domain": ValidationError("This host name is taken.", code=Code.DOMAIN_TAKEN.value)}
        )
    return hostname


def _clean_schema_name(schema_name: str | None) -> str:
    if not schema_name:
        return f"t_{uuid.uuid4().hex[:12]}"
    if (
        not SCHEMA_NAME_RE.match(schema_name)
        or schema_name in RESERVED_SCHEMAS
        or schema_name.startswith("pg_")
    ):
        raise ValidationError(
            {
                "schema_name": ValidationError(
                    "3 to 48 characters: lower-case letters, digits and underscores, "
                    "starting with a letter.",
                    code=Code.SCHEMA_NAME_INVALID.value,
                )
            }
        )
    if Tenant.objects.filter(schema_name=schema_name).exists() or schema_exists(schema_name):
        raise ValidationError(
            {
                "schema_name": ValidationError(
                    "This schema name is taken.", code=Code.SCHEMA_NAME_TAKEN.value
                )
            }
        )
    return schema_name


def tenant_create(
    *,
    name: str,
    domain: str,
    business_model: str,
    admin_email: str,
    admin_password: str | None = None,
    schema_name: str | None = None,
    cors_allowed_origins: list[str] | None = None,
) -> ProvisionedTenant:
    """Create schema, primary domain, first admin membership and seed data, atomically.

    PostgreSQL DDL is transactional: the schema (cloned from the migrated template, see
    apps/tenants/template.py, or migrated when no template is set) is made inside the same
    transaction as the rows, so any failure (a seeder included) rolls all of it back.
    """
    if tenant_connection().schema_name != get_public_schema_name():
        raise RuntimeError("Tenants are provisioned from the public schema.")
    if business_model not in BusinessModel.values or business_model == BusinessModel.PLATFORM:
        raise ValidationError(
            {"business_model": ValidationError("Unknown business model.", code=Code.INVALID.value)}
        )
    with transaction.atomic():
        tenant = Tenant(
            name=name.strip(),
            schema_name=_clean_schema_name(schema_name),
            business_model=business_model,
            cors_allowed_origins=cors_allowed_origins or [],
        )
        tenant.full_clean(exclude=["schema_name"])
        hostname = _clean_domain(domain)
        _tenant_save_with_schema(tenant)
        primary = Domain.objects.create(domain=hostname, tenant=tenant, is_primary=True)
        if admin_password:
            _admin_password_first(admin_email, admin_password)
        invitation = accounts.member_invite(tenant=tenant, email=admin_email, role=Role.ADMIN)
        admin = invitation.membership.user
        with schema_context(tenant.schema_name):
            run_seeders()
    return ProvisionedTenant(
        tenant=tenant, domain=primary, admin=admin, invite_code=invitation.invite_code
    )


def _tenant_save_with_schema(tenant: Tenant) -> None:
    template = template_schema()
    if not template:
        tenant.save(verbosity=0)  # CREATE SCHEMA + every migration (auto_create_schema)
        return
    tenant.auto_create_schema = False  # this instance only: the schema is renamed or cloned
    tenant.save(verbosity=0)
    if spare_claim(tenant.schema_name):  # a clone made ahead of time (apps/tenants/spares.py)
        refill_after_commit()
        return
    changed = template_ensure()
    schema_clone(template=template, schema_name=tenant.schema_name, template_changed_now=changed)
    refill_after_commit()


def _admin_password_first(email: str, password: str) -> None:
    """Before the invitation: it then says "sign in", not an invite code for a set password."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        accounts.user_create(email=email, password=password)
    elif not user.has_usable_password():
        accounts.user_set_password(user=user, password=password)


def _lock(tenant_id) -> Tenant:
    tenant = (
        Tenant.objects.select_for_update()
        .exclude(schema_name=get_public_schema_name())
        .filter(pk=tenant_id)
        .first()
    )
    if tenant is None:
        raise ValidationError({"id": ValidationError("No such tenant.", code=Code.NOT_FOUND.value)})
    return tenant


def _must_say_why(change: Change) -> str | None:
    if not change.comment:
        raise ValidationError(
            {"reason": ValidationError("Say why the tenant is suspended.", code=Code.INVALID.value)}
        )
    return None


def _keep_reason(change: Change) -> list[str]:
    change.obj.suspended_reason = change.comment
    return ["suspended_reason"]


def _clear_reason(change: Change) -> list[str]:
    change.obj.suspended_reason = ""
    return ["suspended_reason"]


# Suspension is the platform operator's; the reason goes with it and is cleared on the way back.
TENANT_LIFECYCLE = Lifecycle(
    model=Tenant,
    statuses=TenantStatus,
    table={
        TenantStatus.ACTIVE: {TenantStatus.SUSPENDED},
        TenantStatus.SUSPENDED: {TenantStatus.ACTIVE},
    },
    refusal_code=Code.INVALID_TRANSITION,
    field=None,  # the inputs name the tenant, not a target status: the whole call is refused
    noun="tenant",
    guards={TenantStatus.SUSPENDED: _must_say_why},
    on_enter={TenantStatus.SUSPENDED: _keep_reason, TenantStatus.ACTIVE: _clear_reason},
)


@transaction.atomic
def tenant_suspend(*, tenant_id, reason: str, actor=None) -> Tenant:
    tenant = _lock(tenant_id)
    reason = fits_column(Tenant, "suspended_reason", reason.strip(), Code.INVALID, field="reason")
    transition(tenant, TenantStatus.SUSPENDED, actor=actor, comment=reason or "")
    return tenant


@transaction.atomic
def tenant_reactivate(*, tenant_id, actor=None) -> Tenant:
    tenant = _lock(tenant_id)
    transition(tenant, TenantStatus.ACTIVE, actor=actor)
    return tenant


@transaction.atomic
def domain_add(*, tenant_id, domain: str, is_primary: bool = False) -> Domain:
    tenant = _lock(tenant_id)
    hostname = _clean_domain(domain)
    # Domain.save keeps one primary domain per tenant.
    return Domain.objects.create(domain=hostname, tenant=tenant, is_primary=is_primary)


@transaction.atomic
def public_tenant_ensure(*, domain: str) -> Tenant:
    """The platform's own row (schema `public`) and its host: the operator API and admin."""
    public, _ = Tenant.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Fengkong platform", "business_model": BusinessModel.PLATFORM},
    )
    Domain.objects.get_or_create(
        domain=domain.lower(), defaults={"tenant": public, "is_primary": True}
    )
    return public
