from apps.core.modules import Module

MODULE = Module(
    label="tenants",
    audit="apps.tenants.audit",
    platform_query="apps.tenants.graphql.queries:TenantsQuery",
    platform_mutation="apps.tenants.graphql.mutations:TenantsMutation",
)
