"""Every write about users, memberships and tokens. Keyword-only; callers own transactions."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from axes.helpers import get_lockout_message
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from apps.accounts.errors import AccountErrorCode as Code
from apps.accounts.models import ApiToken, Membership, TokenKind, User
from apps.accounts.roles import Role
from apps.accounts.tokens import hash_secret, new_secret
from apps.core import live


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    invite_code: str | None  # None when the user already had a password


def user_create(
    *, email: str, password: str | None = None, full_name: str = "", is_staff: bool = False
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    user = User(email=email, full_name=full_name, is_staff=is_staff)
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError(
            {"password": [ValidationError(m, code=Code.WEAK_PASSWORD.value) for m in exc.messages]}
        ) from exc


def token_issue(
    *, user: User, tenant, name: str, kind: str = TokenKind.API, expires_at: datetime | None = None
) -> IssuedToken:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {
                "expires_at": ValidationError(
                    "The expiry must be in the future.", code=Code.EXPIRY_IN_PAST.value
                )
            }
        )
    secret, prefix = new_secret()
    token = ApiToken(
        user=user,
        tenant=tenant,
        name=name.strip() or "token",
        kind=kind,
        prefix=prefix,
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, secret=secret)


def login(*, request, email: str, password: str) -> IssuedToken:
    """Password login on this host: returns a short-lived token bound to this host's tenant.

    Failures are counted by django-axes; after AXES_FAILURE_LIMIT for the same e-mail and address
    (or FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT from one address) sign-in is locked out for the
    cool-off time, even with the right password. A user who is not a member here gets the
    wrong-password answer, counted as a failure. Not atomic on
    purpose: a failed attempt must stay recorded when the login is refused.
    """
    if len(email) > User._meta.get_field("email").max_length:  # no such user; nothing to count
        raise ValidationError("E-mail or password is wrong.", code=Code.INVALID_CREDENTIALS.value)
    email = email.strip().lower()
    user = authenticate(request, email=email, password=password)
    if user is not None and not _may_sign_in_here(user, request):
        # A right password for another tenant must not be confirmed: answer, and count the
        # failure, exactly as for a wrong one.
        user_login_failed.send(
            sender=__name__, credentials={"email": email, "password": "*" * 8}, request=request
        )
        user = None
    if getattr(request, "axes_locked_out", False):
        raise ValidationError(str(get_lockout_message()), code=Code.LOCKED_OUT.value)
    if user is None:
        raise ValidationError("E-mail or password is wrong.", code=Code.INVALID_CREDENTIALS.value)
    tenant = None if request.on_public_host else request.tenant
    return token_issue(
        user=user,
        tenant=tenant,
        name="login",
        kind=TokenKind.LOGIN,
        expires_at=timezone.now() + settings.FENGKONG_LOGIN_TOKEN_TTL,
    )


def _may_sign_in_here(user: User, request) -> bool:
    """Operators on the platform host; members of the request's tenant on its host."""
    if request.on_public_host:
        return user.is_staff
    return Membership.objects.filter(user=user, tenant=request.tenant).exists()


def token_revoke(*, actor: User, token_id, tenant, actor_is_admin: bool) -> ApiToken:
    """Revoke one of the actor's own tokens; a tenant admin may revoke any token of the tenant."""
    tokens = ApiToken.objects.filter(tenant=tenant)
    if not actor_is_admin:
        tokens = tokens.filter(user=actor)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise ValidationError({"id": ValidationError("No such token.", code=Code.NOT_FOUND.value)})
    return token if token.revoked_at else token_revoke_own(token=token)


def token_revoke_own(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    live.publish_platform(f"token.{token.pk}", {"id": str(token.pk)})  # its sockets close
    return token


@transaction.atomic
def member_invite(*, tenant, email: str, role: str, full_name: str = "") -> Invitation:
    """Add a user to the tenant with a role, creating the user when new.

    A new user gets an invite code (Django's password-reset token: single use, expires after
    PASSWORD_RESET_TIMEOUT) with which `inviteAccept` sets the password.
    """
    _check_role(role)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first() or user_create(email=email, full_name=full_name)
    if Membership.objects.filter(user=user, tenant=tenant).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    "Already a member of this tenant.", code=Code.ALREADY_MEMBER.value
                )
            }
        )
    membership = Membership.objects.create(user=user, tenant=tenant, role=role)
    code = None
    if not user.has_usable_password():
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        code = f"{uid}.{default_token_generator.make_token(user)}"
    transaction.on_commit(partial(_send_invitation, email, tenant.name, role, code))
    return Invitation(membership=membership, invite_code=code)


def _send_invitation(email: str, tenant_name: str, role: str, code: str | None) -> None:
    how = (
        f"Set your password with the invite code {code} (GraphQL mutation inviteAccept)."
        if code
        else "Sign in with your existing password."
    )
    send_mail(
        subject=f"You have been added to {tenant_name} on Fengkong",
        # rstrip: "… of Demo Lending Co." must not end in two full stops.
        message=f"You are now {Role(role).label} of {tenant_name.rstrip('.')}.\n\n{how}\n",
        from_email=None,
        recipient_list=[email],
        fail_silently=True,
    )


def invite_accept(*, invite_code: str, password: str) -> User:
    uid, _, token = invite_code.partition(".")
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))))
    except (ValueError, TypeError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise ValidationError(
            {
                "invite_code": ValidationError(
                    "This invite code is not valid.", code=Code.INVALID_INVITE.value
                )
            }
        )
    return user_set_password(user=user, password=password)


@transaction.atomic
def member_change_role(*, tenant, membership_id, role: str) -> Membership:
    _check_role(role)
    membership = _membership_for_update(tenant, membership_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_admin(tenant, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, tenant, membership_id) -> Membership:
    """Remove a member; their tokens for this tenant are revoked with the membership."""
    membership = _membership_for_update(tenant, membership_id)
    if membership.role == Role.ADMIN:
        _keep_an_admin(tenant, membership)
    for token in ApiToken.objects.filter(
        user_id=membership.user_id, tenant=tenant, revoked_at__isnull=True
    ):
        token_revoke_own(token=token)
    membership.delete()
    return membership


def _membership_for_update(tenant, membership_id) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(tenant=tenant, pk=membership_id)
        .first()
    )
    if membership is None:
        raise ValidationError({"id": ValidationError("No such member.", code=Code.NOT_FOUND.value)})
    return membership


def _keep_an_admin(tenant, leaving: Membership) -> None:
    # Lock every admin row of the tenant so two concurrent demotions cannot both pass.
    admins = list(
        Membership.objects.select_for_update()
        .filter(tenant=tenant, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admins == [leaving.pk]:
        raise ValidationError("A tenant keeps at least one admin.", code=Code.LAST_ADMIN.value)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": ValidationError("Unknown role.", code=Code.INVALID.value)})


def user_set_password(*, user: User, password: str) -> User:
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def tokens_purge(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete tokens that expired or were revoked more than `older_than` ago (they can never be
    used again; keeping them forever only grows the table). Returns how many went."""
    cutoff = timezone.now() - older_than
    deleted, _ = ApiToken.objects.filter(
        models.Q(expires_at__lt=cutoff) | models.Q(revoked_at__lt=cutoff)
    ).delete()
    return deleted
