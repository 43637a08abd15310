# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class CoreConfig(modules.ModuleConfig):
    """Declared in apps/core/module.py."""

    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        super().ready()
        from apps.core import audit

        audit.connect()  # every audit entry: who (user or system job), readable values
