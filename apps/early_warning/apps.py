# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class EarlyWarningConfig(modules.ModuleConfig):
    """Declared in apps/early_warning/module.py."""

    name = "apps.early_warning"
    label = "early_warning"
    verbose_name = "Warning signals (风险预警)"
