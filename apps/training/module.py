from apps.core.modules import Module

MODULE = Module(
    label="training",
    audit="apps.training.audit",
    query="apps.training.graphql.queries:TrainingQuery",
    mutation="apps.training.graphql.mutations:TrainingMutation",
    # Seeded indicators arrive by migration (0002_seed_indicators), for existing tenants too.
    tick_handlers={"training.daily_indicators": "apps.training.tasks:daily_indicators_if_due"},
)
