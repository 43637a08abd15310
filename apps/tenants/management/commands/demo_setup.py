"""Idempotent local set-up: platform host, an operator, a demo tenant with its admin, a token.

Run again, it keeps every row and only issues a fresh demo token (the old one is revoked,
since a token's secret cannot be shown twice).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, User
from apps.tenants import services
from apps.tenants.models import BusinessModel, Domain

DEMO_DOMAIN = "demo.localhost"
DEMO_ADMIN = "admin@demo.localhost"
DEMO_PASSWORD = "demo-Password-2026"
OPERATOR = "operator@fengkong.localhost"


class Command(BaseCommand):
    help = "Create (or keep) the platform host, an operator and a demo tenant; print a token."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **opts):
        services.public_tenant_ensure(domain=settings.PUBLIC_DOMAIN)
        if not User.objects.filter(email=OPERATOR).exists():
            User.objects.create_superuser(OPERATOR, DEMO_PASSWORD)
        domain = Domain.objects.filter(domain=DEMO_DOMAIN).select_related("tenant").first()
        if domain is None:
            made = services.tenant_create(
                name="Demo Lending Co.",
                domain=DEMO_DOMAIN,
                schema_name="demo",
                business_model=BusinessModel.ONLINE_LENDING,
                admin_email=DEMO_ADMIN,
                admin_password=DEMO_PASSWORD,
            )
            tenant = made.tenant
        else:
            tenant = domain.tenant
        admin = User.objects.get(email=DEMO_ADMIN)
        for old in ApiToken.objects.filter(
            user=admin, tenant=tenant, name="demo", revoked_at__isnull=True
        ):
            accounts.token_revoke_own(token=old)
        issued = accounts.token_issue(user=admin, tenant=tenant, name="demo")
        port = opts["port"]
        url = f"http://{DEMO_DOMAIN}:{port}/graphql/"
        operator_admin = f"http://{settings.PUBLIC_DOMAIN}:{port}/admin/"
        self.stdout.write(self.style.SUCCESS("Fengkong is set up."))
        self.stdout.write(f"""
  Tenant GraphQL : {url}   (GraphiQL in a browser)
  Tenant admin   : http://{DEMO_DOMAIN}:{port}/admin/  ({DEMO_ADMIN} / {DEMO_PASSWORD})
  Operator admin : {operator_admin}  ({OPERATOR} / {DEMO_PASSWORD})
  Demo token     : {issued.secret}

Try it:
  curl -s {url} -H 'Authorization: Bearer {issued.secret}' \\
       -H 'Content-Type: application/json' \\
       -d '{{"query": "{{ me {{ user {{ email }} role }} }}"}}'
""")
