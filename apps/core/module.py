from apps.core.modules import Module

JOB_DIAGNOSTICS = "diagnostics"

MODULE = Module(
    label="core",
    audit=None,  # jobs are bookkeeping; their outcome is in the job row itself
    query="apps.core.graphql.queries:CoreQuery",
    mutation="apps.core.graphql.mutations:CoreMutation",
    job_kinds={JOB_DIAGNOSTICS: "Worker diagnostics"},
    tick_handlers={"core.stale_jobs": "apps.core.tasks:fail_stale_jobs"},
)
