from apps.core.modules import Module

MODULE = Module(
    label="accounts",
    audit="apps.accounts.audit",
    query="apps.accounts.graphql.queries:AccountsQuery",
    mutation="apps.accounts.graphql.mutations:AccountsMutation",
    platform_query="apps.accounts.graphql.queries:MeQuery",
    platform_mutation="apps.accounts.graphql.mutations:LoginMutation",
)
