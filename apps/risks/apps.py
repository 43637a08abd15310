from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "apps.risks"
    label = "risks"
    verbose_name = "Risk register"

    def ready(self) -> None:
        from apps.core.periodic import register_tick_handler
        from apps.risks import audit  # noqa: F401  (registers audited models)
        from apps.risks.services.configuration import seed_register
        from apps.risks.tasks import daily_register_if_due
        from apps.tenants.seeding import register_seeder

        register_seeder("risks", seed_register)
        register_tick_handler("risks.daily_register", daily_register_if_due)
