from auditlog.registry import auditlog

from apps.accounts.models import ApiToken, Membership, User

auditlog.register(User, include_fields=["email", "full_name", "is_active", "is_staff"])
auditlog.register(Membership)
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])
