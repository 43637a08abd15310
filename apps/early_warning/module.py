from apps.core.modules import Module

JOB_SCAN = "warning_scan"

MODULE = Module(
    label="early_warning",
    audit="apps.early_warning.audit",
    query="apps.early_warning.graphql.queries:EarlyWarningQuery",
    mutation="apps.early_warning.graphql.mutations:EarlyWarningMutation",
    job_kinds={JOB_SCAN: "Warning-signal scan"},
    job_results={JOB_SCAN: "apps.early_warning.graphql.job_results:WarningScanResult"},
    events={
        "warnings.signal_raised": "An early-warning rule raised a signal.",
        "warnings.signal_escalated": "An early-warning signal was escalated.",
        "warnings.signal_resolved": "An early-warning signal was resolved.",
        "warnings.signal_acknowledged": "Someone acknowledged an early-warning signal.",
        "warnings.signal_dismissed": "Someone dismissed an early-warning signal as a false "
        "positive.",
    },
    tick_handlers={
        "early_warning.scans": "apps.early_warning.tasks:scans_if_due",
        "early_warning.partitions": "apps.early_warning.tasks:partitions_if_due",
    },
    demo_steps=("apps.early_warning.demo:demo",),  # sample data for `manage.py demo_setup`
)
