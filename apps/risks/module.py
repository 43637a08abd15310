from apps.core.modules import Module

# Job kinds of this module, for the code that creates them.
JOB_DAILY = "register_daily"
JOB_IMPORT = "risk_import"

MODULE = Module(
    label="risks",
    audit="apps.risks.audit",
    query="apps.risks.graphql.queries:RisksQuery",
    mutation="apps.risks.graphql.mutations:RisksMutation",
    job_kinds={JOB_DAILY: "Risk register daily run", JOB_IMPORT: "Risk import"},
    job_results={
        JOB_DAILY: "apps.risks.graphql.job_results:RegisterDailyResult",
        JOB_IMPORT: "apps.risks.graphql.job_results:RiskImportResult",
    },
    events={
        "risks.review_overdue": "A risk's periodic review is past due.",
        "risks.acceptance_expired": "A risk acceptance expired; the risk is open again.",
        "risks.residual_proposed": "Control changes justify a new residual rating for a risk.",
    },
    # Seed data arrives by migration (0002_seed_register), for new and existing tenants.
    tick_handlers={"risks.daily_register": "apps.risks.tasks:daily_register_if_due"},
    demo_steps=("apps.risks.demo:demo",),  # sample data for `manage.py demo_setup`
)
