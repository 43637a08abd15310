"""What a locked-out sign-in gets (django-axes calls this through AXES_LOCKOUT_CALLABLE)."""

from axes.helpers import get_lockout_message
from django.http import HttpResponse


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    if request.path.startswith("/graphql") and original_response is not None:
        # The login payload already carries a typed LOCKED_OUT error: keep the GraphQL answer.
        return original_response
    return HttpResponse(get_lockout_message(), status=429, content_type="text/plain; charset=utf-8")
