from auditlog.registry import auditlog

from apps.notifications.models import Webhook


def hide(value: str) -> str:
    """auditlog's default mask keeps half of the value; a signing secret keeps none of it."""
    return "********"


# Who pointed a webhook where is worth a trail; a rotation shows as a change of the (hidden)
# secret, so it is recorded too, without the secret itself.
auditlog.register(
    Webhook,
    exclude_fields=["updated_at"],
    mask_fields=["secret"],
    mask_callable="apps.notifications.audit.hide",
)
