# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class NotificationsConfig(modules.ModuleConfig):
    """Declared in apps/notifications/module.py."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"
