import strawberry
import strawberry_django
from strawberry.types import Info

from apps.core import services
from apps.core.errors import CoreErrorCode
from apps.core.graphql.errors import error_type
from apps.core.graphql.permissions import IsAnalyst
from apps.core.graphql.resolvers import run_service
from apps.core.graphql.types import JobType
from apps.core.module import JOB_DIAGNOSTICS
from apps.core.tasks import run_diagnostics
from apps.core.transactions import enqueue_on_commit

CoreError = error_type("CoreError", CoreErrorCode, "A refused core operation.")


@strawberry.type
class DiagnosticsRunPayload:
    errors: list[CoreError]  # type: ignore[valid-type]
    job: JobType | None = None


@strawberry.type
class CoreMutation:
    @strawberry_django.mutation(
        permission_classes=[IsAnalyst],
        handle_django_errors=False,
        description="Ask a background worker to prove it serves this "
        "tenant; poll the returned job.",
    )
    def diagnostics_run(self, info: Info) -> DiagnosticsRunPayload:
        def call() -> dict:
            job = services.job_create(
                kind=JOB_DIAGNOSTICS, created_by=info.context.request.user
            )
            enqueue_on_commit(run_diagnostics, str(job.pk))
            return {"job": job}

        return run_service(DiagnosticsRunPayload, CoreError, CoreErrorCode, call)
