# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class EmergencyConfig(modules.ModuleConfig):
    """Declared in apps/emergency/module.py."""

    name = "apps.emergency"
    label = "emergency"
    verbose_name = "Emergency plans"
