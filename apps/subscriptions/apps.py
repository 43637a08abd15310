# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class SubscriptionsConfig(modules.ModuleConfig):
    """Declared in apps/subscriptions/module.py."""

    name = "apps.subscriptions"
    label = "subscriptions"
    verbose_name = "Live updates (GraphQL subscriptions)"
