"""Make or migrate the template schema new tenants are cloned from (after a deploy, say)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.tenants.spares import spares_refill
from apps.tenants.template import template_ensure, template_schema


class Command(BaseCommand):
    help = (
        "Create or migrate the tenant template schema (TENANT_TEMPLATE_SCHEMA), then make the "
        "spare clones provisioning renames (TENANT_SPARE_SCHEMAS)."
    )

    def handle(self, *args, **options) -> None:
        if not template_schema():
            self.stdout.write("TENANT_TEMPLATE_SCHEMA is empty: tenants are migrated, not cloned.")
            return
        with transaction.atomic():  # the advisory lock lives as long as the transaction
            template_ensure()
        self.stdout.write(f"template schema {template_schema()} is current")
        spares = spares_refill()  # the clones provisioning renames (TENANT_SPARE_SCHEMAS)
        self.stdout.write(
            f"spare schemas: {spares['ready']} ready ({spares['made']} made, "
            f"{spares['dropped']} stale dropped)"
        )
