"""Campaign reach per period: the rows of `EducationCampaign.reachPeriods`, and the bulk
import of a channel's export (`campaignReachImport`), all or nothing like the results import."""

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from apps.core.graphql.permissions import IsRiskManager
from apps.core.graphql.uploads import BASE64_DESCRIPTION, FILE_DESCRIPTION, import_file
from apps.training.graphql.errors import TrainingErrorCode
from apps.training.graphql.importing import TrainingFileFormat, TrainingImportErrorType
from apps.training.services.importing import MAX_BYTES
from apps.training.services.reach import reach_import


@strawberry.type(name="CampaignReachPeriod", description="A campaign's reach in one period.")
class ReachPeriodType:
    period_start: date = strawberry.field(description="First day of the period.")
    period_end: date = strawberry.field(description="Last day of the period.")
    impressions: int = strawberry.field(description="Times the content was shown.")
    learners: int = strawberry.field(description="New learners in the period.")
    completions: int = strawberry.field(description="Learners who finished it.")
    quiz_pass_rate: Decimal | None = strawberry.field(
        description="Share of quiz takers who passed, %; null: no quiz."
    )


@strawberry.input(description="A file of campaign reach per period.")
class CampaignReachImportInput:
    format: TrainingFileFormat = strawberry.field(description="CSV or XLSX.")
    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)


@strawberry.type(description="What a reach import did, or every problem of the file.")
class CampaignReachImportPayload:
    errors: list[TrainingImportErrorType] = strawberry.field(
        description="Every problem; when any, nothing was written."
    )
    created_count: int = strawberry.field(default=0, description="Periods added.")
    updated_count: int = strawberry.field(default=0, description="Periods changed.")
    unchanged_count: int = strawberry.field(default=0, description="Rows already recorded.")


@strawberry.type
class ReachMutations:
    @strawberry.mutation(
        permission_classes=[IsRiskManager],
        description="Import reach per period by (campaign code, period start): all or none. "
        "Columns campaign_code, period_start, period_end, impressions, learners, completions, "
        "quiz_pass_rate; each campaign's `reached` becomes the sum of its learners.",
    )
    def campaign_reach_import(
        self,
        info: Info,
        input: Annotated[CampaignReachImportInput, strawberry.argument(description="File.")],
    ) -> CampaignReachImportPayload:
        outcome, errors = import_file(
            input,
            max_bytes=MAX_BYTES,
            error_type=TrainingImportErrorType,
            codes=TrainingErrorCode,
            run=lambda content: reach_import(
                content=content,
                file_format=str(input.format.value),
                actor=info.context.request.user,
            ),
        )
        if outcome is None:
            return CampaignReachImportPayload(errors=errors)
        return CampaignReachImportPayload(
            errors=[],
            created_count=outcome.created,
            updated_count=outcome.updated,
            unchanged_count=outcome.unchanged,
        )
