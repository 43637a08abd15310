from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "apps.risks"
    label = "risks"
    verbose_name = "Risk register"

    def ready(self) -> None:
        from apps.core.periodic import register_tick_handler
        from apps.risks import audit  # noqa: F401  (registers audited models)
        from apps.risks.tasks import daily_register_if_due

        # Seed data arrives by migration (0002_seed_register), for new and existing tenants.
        register_tick_handler("risks.daily_register", daily_register_if_due)
