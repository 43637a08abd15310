# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class TenantsConfig(modules.ModuleConfig):
    """Declared in apps/tenants/module.py."""

    name = "apps.tenants"
    label = "tenants"
    verbose_name = "Tenants"

    def ready(self) -> None:
        super().ready()
        from apps.tenants import cors  # noqa: F401  (per-tenant CORS origins, a signal)
        from apps.tenants.host_cache import connect_signals

        connect_signals()  # host → tenant cache invalidation on every tenant/domain change
