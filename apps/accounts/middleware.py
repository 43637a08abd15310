"""Who is calling, and what they are on *this* tenant.

Sets `request.user` from a bearer token when one is sent (a token is only valid on the host of
its tenant; platform tokens only on the public host), and `request.membership` to the user's
membership of the request's tenant, or None. Everything else decides from those two.
"""

from django.conf import settings
from django.http import JsonResponse

from apps.accounts.models import Membership
from apps.accounts.tokens import authenticate_bearer


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        request.api_token = None
        request.membership = None
        header = request.headers.get("authorization", "")
        if header:
            scheme, _, secret = header.partition(" ")
            token = authenticate_bearer(secret.strip()) if scheme.lower() == "bearer" else None
            if token is None or tenant is None or not _token_fits_host(token, request):
                return _refuse("Invalid, expired or revoked token for this host.")
            request.user = token.user
            request.api_token = token
        if request.api_token is not None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # CSRF guards ambient credentials (a session cookie). A bearer token, or no credential
            # at all (e.g. `login`), is never sent by a browser on its own.
            request._dont_enforce_csrf_checks = True
        if tenant is not None and request.user.is_authenticated and not request.on_public_host:
            request.membership = Membership.objects.filter(
                user_id=request.user.pk, tenant_id=tenant.pk
            ).first()
        return self.get_response(request)


def _token_fits_host(token, request) -> bool:
    if token.tenant_id is None:  # platform token: operators, public host only
        return request.on_public_host and token.user.is_staff
    return token.tenant_id == request.tenant.pk


def _refuse(message: str) -> JsonResponse:
    response = JsonResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="fengkong"'
    return response
