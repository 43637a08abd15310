from auditlog.registry import auditlog

from apps.tenants.models import Domain, Tenant

auditlog.register(Tenant)
auditlog.register(Domain)
