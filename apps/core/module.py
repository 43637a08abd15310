from apps.core.modules import Module

JOB_DIAGNOSTICS = "diagnostics"

MODULE = Module(
    label="core",
    # The audit machinery (actor, readable values, bulk helpers); jobs themselves are
    # bookkeeping, their outcome is in the job row.
    audit="apps.core.audit",
    query="apps.core.graphql.queries:CoreQuery",
    mutation="apps.core.graphql.mutations:CoreMutation",
    job_kinds={JOB_DIAGNOSTICS: "Worker diagnostics"},
    job_results={JOB_DIAGNOSTICS: "apps.core.graphql.job_results:DiagnosticsResult"},
    tick_handlers={"core.stale_jobs": "apps.core.tasks:fail_stale_jobs"},
)
