from apps.core.modules import Module

MODULE = Module(
    label="notifications",
    audit="apps.notifications.audit",
    query="apps.notifications.graphql.queries:NotificationsQuery",
    mutation="apps.notifications.graphql.mutations:NotificationsMutation",
    tick_handlers={
        "notifications.redeliver_webhooks": "apps.notifications.tasks:redeliver_stalled_webhooks"
    },
)
