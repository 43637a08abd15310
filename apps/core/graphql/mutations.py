import strawberry
import strawberry_django
from strawberry.types import Info

from apps.core import services
from apps.core.errors import CoreErrorCode
from apps.core.graphql.errors import error_type
from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.types import JobType

CoreError = error_type(
    "CoreError",
    CoreErrorCode,
    "A refused core operation.",
    descriptions={
        CoreErrorCode.INVALID: "A value is missing, malformed or out of range.",
        CoreErrorCode.NOT_FOUND: "An id names nothing here.",
        CoreErrorCode.INVALID_TRANSITION: "The job cannot move to that state from where it is.",
    },
)


@strawberry.type(description="The diagnostics job, or why not.")
class DiagnosticsRunPayload:
    errors: list[CoreError] = strawberry.field(  # type: ignore[valid-type]
        description="Empty when it worked."
    )
    job: JobType | None = strawberry.field(
        default=None, description="Poll it: a worker ran it for this tenant when it succeeds."
    )


@strawberry.type
class CoreMutation:
    @strawberry_django.mutation(
        permission_classes=[IsAnalyst],
        handle_django_errors=False,
        description="Ask a background worker to prove it serves this "
        "tenant; poll the returned job.",
    )
    def diagnostics_run(self, info: Info) -> DiagnosticsRunPayload:
        return run_service(
            DiagnosticsRunPayload,
            CoreError,
            CoreErrorCode,
            lambda: {"job": services.diagnostics_request(actor=info.context.request.user)},
        )
