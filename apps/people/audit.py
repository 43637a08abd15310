from auditlog.registry import auditlog

from apps.people.models import Department, Person

# HR data changes are worth a trail (who moved whom where); `path` follows `parent`.
auditlog.register(Department, exclude_fields=["updated_at", "path"])
auditlog.register(Person, exclude_fields=["updated_at"])
