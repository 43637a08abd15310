"""Write the published GraphQL contracts: schema.graphql (tenant API), schema.platform.graphql."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

CONTRACTS = {
    "schema.graphql": "schema",
    "schema.platform.graphql": "platform_schema",
}


def render(attribute: str) -> str:
    from config import schema as schemas

    return str(getattr(schemas, attribute)).rstrip() + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL SDL files at the repository root (a test fails when they are stale)."

    def handle(self, *args, **options):
        for filename, attribute in CONTRACTS.items():
            path = Path(settings.BASE_DIR) / filename
            path.write_text(render(attribute))
            self.stdout.write(f"wrote {path}")
