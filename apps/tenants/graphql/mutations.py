from typing import Annotated

import strawberry
from strawberry import relay

from apps.core.graphql.ids import decode_pk
from apps.core.graphql.permissions import IsOperator
from apps.core.graphql.resolvers import run_service
from apps.tenants import services
from apps.tenants.graphql.errors import TenantError, TenantErrorCode
from apps.tenants.graphql.types import BusinessModelEnum, DomainType, TenantType
from apps.tenants.models import Tenant

Errors = list[TenantError]  # type: ignore[valid-type]


def _tenant_id(gid: relay.GlobalID):
    return decode_pk(gid, "Tenant", Tenant)


@strawberry.input
class TenantCreateInput:
    name: str
    domain: str = strawberry.field(description="Host name, e.g. acme.fengkong.example (no '_').")
    business_model: BusinessModelEnum
    admin_email: str
    admin_password: str | None = strawberry.field(
        default=None, description="Leave empty to get an invite code for the admin instead."
    )
    schema_name: str | None = strawberry.field(
        default=None, description="Fixed for ever; generated when omitted."
    )
    cors_allowed_origins: list[str] | None = None


@strawberry.type
class TenantCreatePayload:
    errors: Errors
    tenant: TenantType | None = None
    admin_invite_code: str | None = None


@strawberry.input
class TenantSuspendInput:
    id: relay.GlobalID
    reason: str


@strawberry.input
class TenantReactivateInput:
    id: relay.GlobalID


@strawberry.type
class TenantPayload:
    errors: Errors
    tenant: TenantType | None = None


@strawberry.input
class DomainAddInput:
    tenant_id: relay.GlobalID
    domain: str
    is_primary: bool = False


@strawberry.type
class DomainAddPayload:
    errors: Errors
    domain: DomainType | None = None


def _run(payload, call, *, input=None, fields=None):
    return run_service(payload, TenantError, TenantErrorCode, call, input=input, fields=fields)


@strawberry.type
class TenantsMutation:
    @strawberry.mutation(
        permission_classes=[IsOperator],
        description="Provision a tenant: schema, domain, first admin, seed data.",
    )
    def tenant_create(
        self,
        input: Annotated[
            TenantCreateInput, strawberry.argument(description="The tenant to provision.")
        ],
    ) -> TenantCreatePayload:
        def call() -> dict:
            made = services.tenant_create(
                name=input.name,
                domain=input.domain,
                business_model=input.business_model.value,
                admin_email=input.admin_email,
                admin_password=input.admin_password,
                schema_name=input.schema_name,
                cors_allowed_origins=input.cors_allowed_origins,
            )
            return {"tenant": made.tenant, "admin_invite_code": made.invite_code}

        admin_fields = {"email": "adminEmail", "password": "adminPassword"}
        return _run(TenantCreatePayload, call, input=input, fields=admin_fields)

    @strawberry.mutation(
        permission_classes=[IsOperator],
        description="Stop a tenant's API and admin; its data is kept.",
    )
    def tenant_suspend(
        self,
        input: Annotated[
            TenantSuspendInput, strawberry.argument(description="The tenant and why.")
        ],
    ) -> TenantPayload:
        return _run(
            TenantPayload,
            lambda: {
                "tenant": services.tenant_suspend(
                    tenant_id=_tenant_id(input.id), reason=input.reason
                )
            },
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsOperator])
    def tenant_reactivate(
        self,
        input: Annotated[TenantReactivateInput, strawberry.argument(description="The tenant.")],
    ) -> TenantPayload:
        return _run(
            TenantPayload,
            lambda: {"tenant": services.tenant_reactivate(tenant_id=_tenant_id(input.id))},
            input=input,
        )

    @strawberry.mutation(permission_classes=[IsOperator])
    def domain_add(
        self,
        input: Annotated[
            DomainAddInput, strawberry.argument(description="The tenant and its new domain.")
        ],
    ) -> DomainAddPayload:
        return _run(
            DomainAddPayload,
            lambda: {
                "domain": services.domain_add(
                    tenant_id=_tenant_id(input.tenant_id),
                    domain=input.domain,
                    is_primary=input.is_primary,
                )
            },
            input=input,
            fields={"id": "tenantId"},
        )
