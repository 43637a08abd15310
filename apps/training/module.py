from apps.core.modules import Module

JOB_IMPORT = "training_import"

MODULE = Module(
    label="training",
    audit="apps.training.audit",
    query="apps.training.graphql.queries:TrainingQuery",
    mutation="apps.training.graphql.mutations:TrainingMutation",
    job_kinds={JOB_IMPORT: "Training records import"},
    job_results={JOB_IMPORT: "apps.training.graphql.job_results:TrainingImportResult"},
    events={
        "training.due_soon": "A mandatory training is due within a reminder offset.",
        "training.certificate_expiring": "A certificate expires within a reminder offset.",
        "training.overdue": "A mandatory training is overdue, or its certificate expired.",
        "training.manager_digest": "Weekly: a manager's reports with overdue trainings.",
        "training.owner_digest": "Weekly: a department's overdue trainings, to its owner.",
    },
    # The built-in indicators are created on first use by the daily tick (services/indicators).
    tick_handlers={
        "training.daily_indicators": "apps.training.tasks:daily_indicators_if_due",
        "training.reminders": "apps.training.tasks:reminders_if_due",
    },
    demo_steps=("apps.training.demo:demo",),  # sample data for `manage.py demo_setup`
)
