from django.conf import settings
from django.core.management.base import BaseCommand

from apps.tenants.services import public_tenant_ensure


class Command(BaseCommand):
    help = "Create (or keep) the platform host's tenant row and domain (FENGKONG_PUBLIC_DOMAIN)."

    def handle(self, *args, **opts):
        public_tenant_ensure(domain=settings.PUBLIC_DOMAIN)
        self.stdout.write(f"Platform host: {settings.PUBLIC_DOMAIN}")
