from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from apps.core.periodic import register_tick_handler
        from apps.notifications import audit  # noqa: F401  (registers audited models)
        from apps.notifications.tasks import redeliver_stalled_webhooks

        register_tick_handler("notifications.redeliver_webhooks", redeliver_stalled_webhooks)
