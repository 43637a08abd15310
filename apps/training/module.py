from apps.core.modules import Module

MODULE = Module(
    label="training",
    audit="apps.training.audit",
    query="apps.training.graphql.queries:TrainingQuery",
    mutation="apps.training.graphql.mutations:TrainingMutation",
    # The built-in indicators are created on first use by the daily tick (services/indicators).
    tick_handlers={"training.daily_indicators": "apps.training.tasks:daily_indicators_if_due"},
    demo_steps=("apps.training.demo:demo",),  # sample data for `manage.py demo_setup`
)
