from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.tenants import services
from apps.tenants.models import BusinessModel


class Command(BaseCommand):
    help = "Provision a tenant: schema, primary domain, first admin, seed data (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", required=True, help="Host name, hyphens not underscores.")
        parser.add_argument(
            "--business-model",
            required=True,
            choices=[c for c in BusinessModel.values if c != BusinessModel.PLATFORM],
        )
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", help="Omit to print an invite code instead.")
        parser.add_argument("--schema-name", help="Fixed for ever; generated when omitted.")

    def handle(self, *args, **opts):
        try:
            made = services.tenant_create(
                name=opts["name"],
                domain=opts["domain"],
                business_model=opts["business_model"],
                admin_email=opts["admin_email"],
                admin_password=opts["admin_password"],
                schema_name=opts["schema_name"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created {made.tenant} at {made.domain.domain}")
        if made.invite_code:
            self.stdout.write(f"Admin invite code (for inviteAccept): {made.invite_code}")
