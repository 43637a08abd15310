# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class RisksConfig(modules.ModuleConfig):
    """Declared in apps/risks/module.py."""

    name = "apps.risks"
    label = "risks"
    verbose_name = "Risk register"
