"""Make or migrate the template schema new tenants are cloned from (after a deploy, say)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.tenants.template import template_ensure, template_schema


class Command(BaseCommand):
    help = "Create or migrate the tenant template schema (TENANT_TEMPLATE_SCHEMA)."

    def handle(self, *args, **options) -> None:
        if not template_schema():
            self.stdout.write("TENANT_TEMPLATE_SCHEMA is empty: tenants are migrated, not cloned.")
            return
        with transaction.atomic():  # the advisory lock lives as long as the transaction
            name = template_ensure()
        self.stdout.write(f"template schema {name} is current")
