"""The observation partitions of every tenant: made ahead, retention applied, the default
partition checked (`--check` exits 1 when any tenant has rows there: for monitoring)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import get_tenant_model, schema_context

from apps.early_warning import partitions
from apps.early_warning.services import retention


class Command(BaseCommand):
    help = "Keep the monthly observation partitions of every tenant; --check only reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 if a tenant has rows in its default partition",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        now, stray = timezone.now(), []
        for tenant in get_tenant_model().objects.exclude(schema_name="public").order_by("pk"):
            with schema_context(tenant.schema_name):
                if check:
                    rows = partitions.default_rows()
                    self.stdout.write(
                        f"{tenant.schema_name}: {len(partitions.existing())} "
                        f"monthly partitions, default {'not ' if rows else ''}empty"
                    )
                else:
                    done = retention.keep_partitions(now)
                    rows = done["default_rows"]
                    self.stdout.write(f"{tenant.schema_name}: {done}")
                if rows:
                    stray.append(tenant.schema_name)
        if stray:
            raise CommandError(f"rows in the default observation partition of: {', '.join(stray)}")
