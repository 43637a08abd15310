"""Idempotent local set-up: platform host, an operator, a demo tenant with its admin, a token.

Run again, it keeps every row and the demo token: the token's secret is kept in a file
(`.data/demo-token`, for a frontend's `.env`) and printed again while it is still valid here;
a missing file, or a token revoked or unknown to this database, gets a new one.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, User
from apps.accounts.tokens import hash_secret
from apps.core import modules
from apps.tenants import services
from apps.tenants.models import BusinessModel, Domain

DEMO_DOMAIN = "demo.localhost"
DEMO_ADMIN = "admin@demo.localhost"
DEMO_PASSWORD = "demo-Password-2026"
DEMO_TOKEN_NAME = "demo"
OPERATOR = "operator@fengkong.localhost"
DEMO_CORS_ORIGINS = ["http://localhost:5173", "http://localhost:3000"]


class Command(BaseCommand):
    help = "Create (or keep) the platform host, an operator and a demo tenant; print a token."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--token-file",
            default=str(settings.BASE_DIR / ".data" / "demo-token"),
            help="where the demo token's secret is kept between runs",
        )
        parser.add_argument(
            "--no-sample-data",
            action="store_true",
            help="leave the demo tenant empty (no sample risks, indicators, people, courses)",
        )

    def handle(self, *args, **opts):
        services.public_tenant_ensure(domain=settings.PUBLIC_DOMAIN)
        if not User.objects.filter(email=OPERATOR).exists():
            User.objects.create_superuser(OPERATOR, DEMO_PASSWORD)
        tenant = _demo_tenant()
        admin = User.objects.get(email=DEMO_ADMIN)
        secret, kept = demo_token(user=admin, tenant=tenant, path=Path(opts["token_file"]))
        if not opts["no_sample_data"]:
            added = sample_data(tenant=tenant, admin=admin)
            if added:
                self.stdout.write(f"Sample data added to the demo tenant: {added} records.")
        self.stdout.write(self.style.SUCCESS("Fengkong is set up."))
        self.stdout.write(
            _summary(
                port=opts["port"],
                token=secret,
                kept=kept,
                token_file=_shown(Path(opts["token_file"])),
                admin_password=DEMO_PASSWORD if admin.check_password(DEMO_PASSWORD) else None,
            )
        )


def _demo_tenant():
    domain = Domain.objects.filter(domain=DEMO_DOMAIN).select_related("tenant").first()
    if domain is not None:
        return domain.tenant
    # The admin gets a password before joining: the welcome mail then says to sign in, instead
    # of carrying an invite code for a password that is already set.
    if not User.objects.filter(email=DEMO_ADMIN).exists():
        accounts.user_create(email=DEMO_ADMIN, password=DEMO_PASSWORD)
    return services.tenant_create(
        name="Demo Lending Co.",
        domain=DEMO_DOMAIN,
        schema_name="demo",
        business_model=BusinessModel.ONLINE_LENDING,
        admin_email=DEMO_ADMIN,
        # The usual ports of frontend dev servers (Vite, Next.js / CRA); the operator admin
        # edits the list (Tenants → CORS allowed origins).
        cors_allowed_origins=DEMO_CORS_ORIGINS,
    ).tenant


def sample_data(*, tenant, admin: User) -> int:
    """Each module's demo steps (Module.demo_steps) in the demo tenant, each in a transaction of
    its own; a step adds nothing when its data is there already, so a second run adds nothing."""
    added = 0
    with schema_context(tenant.schema_name):
        for step in modules.demo_steps():
            with transaction.atomic():
                added += step(admin=admin) or 0
    return added


def demo_token(*, user: User, tenant, path: Path) -> tuple[str, bool]:
    """The secret in `path` while it is a usable demo token of `user` here, else a new one.

    Returns (secret, kept). A new token revokes the earlier demo tokens and replaces the file.
    """
    try:
        secret = path.read_text().strip()
    except OSError:
        secret = ""
    if secret:
        token = ApiToken.objects.filter(
            key_hash=hash_secret(secret), user=user, tenant=tenant, name=DEMO_TOKEN_NAME
        ).first()
        if token is not None and token.is_usable():
            return secret, True
    for old in ApiToken.objects.filter(
        user=user, tenant=tenant, name=DEMO_TOKEN_NAME, revoked_at__isnull=True
    ):
        accounts.token_revoke_own(token=old)
    secret = accounts.token_issue(user=user, tenant=tenant, name=DEMO_TOKEN_NAME).secret
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a credential
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret, False


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _summary(*, port, token, kept, token_file, admin_password) -> str:
    url = f"http://{DEMO_DOMAIN}:{port}/graphql/"
    password = admin_password or "(changed since the set-up)"
    kept_note = "same as last run" if kept else "new"
    mutation = (
        f'mutation {{ login(input: {{email: "{DEMO_ADMIN}", password: "{admin_password or "…"}"}})'
        " { token errors { code message } } }"
    )
    login = json.dumps({"query": mutation}, ensure_ascii=False)
    hours = round(settings.FENGKONG_LOGIN_TOKEN_TTL.total_seconds() / 3600)
    return f"""
  Tenant GraphQL : {url}   (GraphiQL in a browser)
  Tenant admin   : http://{DEMO_DOMAIN}:{port}/admin/
  Operator admin : http://{settings.PUBLIC_DOMAIN}:{port}/admin/
  Demo admin     : {DEMO_ADMIN} / {password}
  Operator       : {OPERATOR} / {DEMO_PASSWORD}
  Demo token     : {token}
                   ({kept_note}; kept in {token_file} and reused while it is valid)

Try it (curl and browsers resolve *.localhost; other clients send the Host header to 127.0.0.1):
  export TOKEN={token}
  curl -s {url} -H "Authorization: Bearer $TOKEN" \\
       -H 'Content-Type: application/json' -d '{{"query": "{{ me {{ user {{ email }} role }} }}"}}'
  curl -s http://127.0.0.1:{port}/graphql/ -H 'Host: {DEMO_DOMAIN}' \\
       -H "Authorization: Bearer $TOKEN" \\
       -H 'Content-Type: application/json' -d '{{"query": "{{ me {{ user {{ email }} role }} }}"}}'

Sign in as the demo admin (returns a token for this host, valid {hours} hours):
  curl -s {url} -H 'Content-Type: application/json' \\
       -d '{login}'
"""
