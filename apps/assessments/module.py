from apps.core.modules import Module

JOB_RUN = "assessment_run"  # one model run (scorecard, scoring, VaR, liquidity, stress)
JOB_DATASET = "assessment_dataset"  # a large upload parsed and stored in the background

MODULE = Module(
    label="assessments",
    audit="apps.assessments.audit",
    query="apps.assessments.graphql.queries:AssessmentsQuery",
    mutation="apps.assessments.graphql.mutations:AssessmentsMutation",
    job_kinds={JOB_RUN: "Quantitative assessment run", JOB_DATASET: "Assessment dataset upload"},
    job_results={
        JOB_RUN: "apps.assessments.graphql.job_results:AssessmentRunResult",
        JOB_DATASET: "apps.assessments.graphql.job_results:DatasetUploadResult",
    },
    # Every tick (idempotent): a run for each schedule whose period (day, ISO week, month) has none.
    tick_handlers={
        "assessments.scheduled_runs": "apps.assessments.tasks:scheduled_runs_if_due",
        "assessments.stale_uploads": "apps.assessments.tasks:stale_uploads_dropped",
        "assessments.lost_runs": "apps.assessments.tasks:lost_runs_failed",
    },
    demo_steps=("apps.assessments.demo:demo",),  # sample data for `manage.py demo_setup`
    events={
        "assessments.run_finished": "An assessment run finished; its results are stored.",
        "assessments.run_failed": "An assessment run failed or was refused by its inputs.",
    },
)
