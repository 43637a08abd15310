from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "apps.early_warning"
    label = "early_warning"
    verbose_name = "Warning signals (风险预警)"

    def ready(self) -> None:
        from apps.core.periodic import register_tick_handler
        from apps.early_warning import audit  # noqa: F401  (registers audited models)
        from apps.early_warning.tasks import scans_if_due

        register_tick_handler("early_warning.scans", scans_if_due)
