"""Sign-in throttling: what a locked-out sign-in gets, and what counts as locked out.

django-axes counts failures per (e-mail, address) and locks that pair out at AXES_FAILURE_LIMIT.
`AddressThrottlingHandler` adds a limit per address across every e-mail
(FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT), so one address cannot spray passwords over many
accounts. Addresses come from apps.core.client_address (trusted proxies only).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_message
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    if request.path.startswith("/graphql") and original_response is not None:
        # The login payload already carries a typed LOCKED_OUT error: keep the GraphQL answer.
        return original_response
    return HttpResponse(get_lockout_message(), status=429, content_type="text/plain; charset=utf-8")


class AddressThrottlingHandler(AxesDatabaseHandler):
    """axes' database handler, where an address past its own limit counts as locked out."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self._address_failures(request) >= settings.FENGKONG_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def _address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
