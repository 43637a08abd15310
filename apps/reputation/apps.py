# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class ReputationConfig(modules.ModuleConfig):
    """Declared in apps/reputation/module.py."""

    name = "apps.reputation"
    label = "reputation"
    verbose_name = "Brand and reputation"
